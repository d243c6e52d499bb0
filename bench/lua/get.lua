-- GET of BENCH_PATH; "{id}" in it is replaced by a random seeded account id on every request
-- (the installation view, credentials, the proxy), so reads spread over the whole table.
-- A path without "{id}" (the list, liveness, the stand-in) is sent as it is. Over many partners
-- (BENCH_KEYS), each request is one partner's, at random, and "{id}" one of its installations.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/common.lua")

local template = assert(os.getenv("BENCH_PATH"), "BENCH_PATH is not set")

if template:find("{id}", 1, true) then
  function request()
    return wrk.format("GET", (template:gsub("{id}", bench.random_account())), bench.headers())
  end
elseif os.getenv("BENCH_KEYS") and os.getenv("BENCH_KEYS") ~= "" then
  function request()
    return wrk.format("GET", template, bench.headers())
  end
else
  wrk.path = template
end
