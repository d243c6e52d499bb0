-- The whole OAuth callback, GET /connector/callback?code=ac_bench&scope=read_write&state=…,
-- with a fresh state on every request: BENCH_STATES is a file of states collected from authorize
-- answers ("state host" a line: the host of the answer's redirect_uri, sent as Host, as the browser
-- Stripe redirects would); thread t uses lines t, t+T, t+2T, … once each. A thread that runs out
-- stops and is counted as "exhausted" (run.sh then collects more states and repeats the run).
-- A 200 must be the "connected" page; any other 200 is counted as "unexpected".
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/common.lua")

local states, hosts, next_index = {}, {}, 1

bench.thread_init = function()
  local path = os.getenv("BENCH_STATES")
  assert(path and path ~= "", "BENCH_STATES is not set")
  local n = 0
  for line in io.lines(path) do
    if n % bench.threads == tid then
      local state, host = line:match("^(%S+)%s*(%S*)")
      states[#states + 1] = state
      hosts[#states] = host
    end
    n = n + 1
  end
end

function request()
  local state = states[next_index]
  if not state then
    exhausted = 1
    wrk.thread:stop()
    state = "exhausted"
  end
  local host = hosts[next_index]
  next_index = next_index + 1
  local headers = nil
  if host and host ~= "" then
    headers = {}
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    headers["Host"] = host
  end
  return wrk.format("GET", "/connector/callback?code=ac_bench&scope=read_write&state=" .. state, headers)
end

function response(status, headers, body)
  if status == 200 and not body:find("account is connected", 1, true) then
    unexpected = unexpected + 1
  end
end
