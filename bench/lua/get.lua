-- GET of BENCH_PATH; "{id}" in it is replaced by a random seeded account id on every request
-- (the installation view, credentials, the proxy), so reads spread over the whole table.
-- A path without "{id}" (the list, liveness, the stand-in) is sent as it is.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/common.lua")

local template = assert(os.getenv("BENCH_PATH"), "BENCH_PATH is not set")

if template:find("{id}", 1, true) then
  function request()
    return wrk.format("GET", (template:gsub("{id}", bench.random_account())))
  end
else
  wrk.path = template
end
