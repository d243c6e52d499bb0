-- POST /api/v1/accounts/{id}/connector/authorize with "{}" for a random seeded installation
-- (over many partners: of a random partner, with its key). With BENCH_STATES_DIR set, the state=
-- of every answer's authorizeUrl is written to BENCH_STATES_DIR/states-<thread>.txt with the host
-- of its redirect_uri ("state host" a line), so the callback scenario can use each state once, on
-- the domain Stripe would send the browser back to.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/common.lua")

local out_dir = os.getenv("BENCH_STATES_DIR")
local file, written = nil, 0

bench.thread_init = function()
  wrk.method = "POST"
  wrk.body = "{}"
  wrk.headers["Content-Type"] = "application/json"
  if out_dir and out_dir ~= "" then
    file = assert(io.open(out_dir .. "/states-" .. tid .. ".txt", "a"))
  end
end

function request()
  return wrk.format(nil, "/api/v1/accounts/" .. bench.random_account() .. "/connector/authorize", bench.headers())
end

function response(status, headers, body)
  if status ~= 200 then
    return
  end
  local state = body:match("[?&]state=([%w_%-]+)")
  -- redirect_uri=https%3A%2F%2F{host}%2Fconnector%2Fcallback: the host, still percent-encoded where it has a port.
  local host = (body:match("[?&]redirect_uri=https?%%3A%%2F%%2F([%w%.%-%%]-)%%2F") or ""):gsub("%%3A", ":")
  if not state then
    unexpected = unexpected + 1
  elseif file then
    file:write(state, " ", host, "\n")
    written = written + 1
    if written % 256 == 0 then
      file:flush()
    end
  end
end
