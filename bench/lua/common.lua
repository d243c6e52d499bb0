-- Shared by every wrk scenario of bench/run.sh (each scenario script loads it with dofile):
-- numbers the threads, sends the API key (or, over many partners, one partner's key a request),
-- picks seeded installations at random, and prints one machine-readable summary line
-- ("BENCH_RESULT {json}") that run.sh parses instead of wrk's text.
--
-- Environment (set by run.sh):
--   BENCH_ROWS     seeded installations bench-000001 .. bench-<ROWS> to pick from (in each partner)
--   BENCH_THREADS  wrk's -t (to split a state file between threads)
--   BENCH_API_KEY  sent as "Authorization: Bearer …" when not empty
--   BENCH_KEYS     the partners' data set: a file of "partner key host" lines; when set, every
--                  request picks one partner at random and sends its key instead of BENCH_API_KEY
bench = bench or {}
bench.rows = tonumber(os.getenv("BENCH_ROWS") or "1000")
bench.threads = tonumber(os.getenv("BENCH_THREADS") or "1")
bench.partners = {}

local all_threads = {}
local numbered = 0

-- Runs in wrk's main Lua state, once per thread, before the thread starts.
function setup(thread)
  thread:set("tid", numbered)
  thread:set("exhausted", 0)
  thread:set("unexpected", 0)
  numbered = numbered + 1
  table.insert(all_threads, thread)
end

function bench.account(i)
  return string.format("bench-%06d", i)
end

function bench.random_account()
  return bench.account(math.random(1, bench.rows))
end

-- The headers of one request: wrk's own (with the one API key) or, over many partners, a copy
-- with a partner picked at random for this request.
function bench.headers()
  local count = #bench.partners
  if count == 0 then
    return nil
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Authorization"] = bench.partners[math.random(1, count)]
  return headers
end

-- Runs in each thread's own Lua state.
function init(args)
  math.randomseed(os.time() + 7919 * (tid or 0))
  local key = os.getenv("BENCH_API_KEY")
  if key and key ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. key
  end
  local keys = os.getenv("BENCH_KEYS")
  if keys and keys ~= "" then
    for line in io.lines(keys) do
      local key = line:match("^%S+ (%S+)")
      if key then
        bench.partners[#bench.partners + 1] = "Bearer " .. key
      end
    end
    assert(#bench.partners > 0, "no keys in " .. keys)
  end
  if bench.thread_init then
    bench.thread_init()
  end
end

-- Runs once in the main state after the run. Latencies are microseconds in wrk; printed as ms.
-- "status" errors are answers with a status of 400 or more; "unexpected" counts 2xx answers
-- without what the scenario expects; "exhausted" counts threads that ran out of OAuth states.
function done(summary, latency, requests)
  local exhausted, unexpected = 0, 0
  for _, t in ipairs(all_threads) do
    exhausted = exhausted + (t:get("exhausted") or 0)
    unexpected = unexpected + (t:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,'
      .. '"max_ms":%.3f,"mean_ms":%.3f,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},'
      .. '"exhausted":%d,"unexpected":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.timeout, e.status, exhausted, unexpected))
end
