import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * The benchmark's report: reads the raw measurements bench/run.sh collected (one JSON object a line),
 * prints the table with every figure's ratio to the baselines, checks the gates and targets of
 * issue #10, sets the many-partners data set's figures beside partner default's alone (issue 20; no
 * gates: the performance issue sets them), checks issue 24's gates (start-up against the stack alone and
 * with the AOT cache, the cold tail with the cache, the resident set after load as deployed), prints
 * the change of every figure against a run of record, and writes the same as one JSON document. Exit
 * status 3 when a gate failed.
 *
 * <pre>
 * java -cp "target/quarkus-app/lib/main/*" bench/Report.java RAW.jsonl OUT.json [RECORD.json]
 * </pre>
 */
public class Report {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The figures of the table, in its order; their names as run.sh records them. */
    static final List<String[]> SCENARIOS = List.of(
            new String[] {"view", "installation view  GET /api/v1/accounts/{id}/connector"},
            new String[] {"list", "installation list  GET /api/v1/accounts?limit=50"},
            new String[] {"credentials", "credentials        GET …/connector/credentials"},
            new String[] {"authorize", "authorize          POST …/connector/authorize"},
            new String[] {"callback", "whole callback     GET /connector/callback (fresh state)"},
            new String[] {"proxy", "proxied            GET …/stripe/v1/customers"},
            new String[] {"stand-in", "stand-in direct    GET /v1/customers"},
            new String[] {"liveness", "liveness           GET /q/health/live (management port)"});

    final List<JsonNode> raw = new ArrayList<>();
    final StringBuilder out = new StringBuilder();
    final ObjectNode document = JSON.createObjectNode();
    boolean gateFailed;

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: Report RAW.jsonl OUT.json [RECORD.json]");
            System.exit(2);
        }
        Report report = new Report();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                report.raw.add(JSON.readTree(line));
            }
        }
        report.build();
        if (args.length == 3) {
            report.compareWith(Path.of(args[2]));
        }
        System.out.print(report.out);
        Path target = Path.of(args[1]);
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        JSON.writeValue(target.toFile(), report.document);
        System.exit(report.gateFailed ? 3 : 0);
    }

    // ---- reading the raw measurements ----

    List<JsonNode> all(String kind, Predicate<JsonNode> filter) {
        return raw.stream().filter(n -> kind.equals(n.path("kind").asText())).filter(filter).toList();
    }

    Optional<JsonNode> one(String kind, Predicate<JsonNode> filter) {
        List<JsonNode> found = all(kind, filter);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** The wrk summary of a measured loop on partner default's data set alone, if it ran. */
    Optional<JsonNode> load(String name, String phase, long rows) {
        return load(name, phase, rows, 1);
    }

    /** The wrk summary of a measured loop on the data set of {@code partners} × {@code rows}, if it ran. */
    Optional<JsonNode> load(String name, String phase, long rows, long partners) {
        return one("load", n -> n.path("name").asText().equals(name) && n.path("phase").asText().equals(phase)
                && (rows < 0 || n.path("rows").asLong() == rows) && partners(n) == partners).map(n -> n.path("result"));
    }

    /** The partners of a record's data set: 1 (partner default alone) where the record does not say. */
    static long partners(JsonNode n) {
        return n.path("partners").asLong(1);
    }

    static OptionalDouble median(List<Double> values) {
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return OptionalDouble.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    OptionalDouble startupMedian(String mode, String field) {
        return median(all("startup", n -> n.path("mode").asText().equals(mode)).stream()
                .filter(n -> n.path(field).isNumber()).map(n -> n.path(field).asDouble()).toList());
    }

    // ---- building the report ----

    void build() {
        JsonNode run = one("run", n -> true).orElseThrow(() -> new IllegalStateException("no run record"));
        long rows = run.path("rows").asLong();
        long largeRows = run.path("large_rows").asLong();
        long partners = run.path("partners").asLong(0);
        long partnerRows = run.path("partner_rows").asLong(0);
        long delay = run.path("stripe_delay_ms").asLong();
        ObjectNode runNode = document.putObject("run");
        runNode.setAll((ObjectNode) run.deepCopy());
        runNode.remove("kind");
        String aotSource = one("aot", n -> true).map(n -> n.path("source").asText()).orElse("none");
        runNode.put("aot_cache", aotSource);

        line("Stripe connector benchmark, %s, %s", run.path("date").asText(), run.path("quick").asBoolean() ? "QUICK smoke run" : "full run");
        line("machine: %s, %d cores, %d MiB; load average at start %s", run.path("cpu").asText(), run.path("cores").asInt(),
                run.path("memory_mib").asInt(), run.path("load_average").asText());
        line("%s; %s; commit %s", run.path("java").asText(), run.path("postgresql").asText(), run.path("commit").asText());
        line("wrk %s; cold = the first %d s after a fresh start, warm = %d s after %d s of warm-up; stand-in delay %d ms",
                run.path("wrk").asText(), run.path("cold_s").asInt(), run.path("duration_s").asInt(), run.path("warmup_s").asInt(), delay);
        line("JVM options: %s", run.path("jvm_options").asText());
        line("");

        // Baselines.
        Optional<JsonNode> live = load("liveness", "warm", -1);
        Optional<JsonNode> pgSelect = one("pgbench", n -> n.path("name").asText().equals("select"));
        Optional<JsonNode> pgInsert = one("pgbench", n -> n.path("name").asText().equals("insert"));
        Optional<JsonNode> pgSelectPartners = one("pgbench", n -> n.path("name").asText().equals("select-partners"));
        double liveRps = live.map(r -> r.path("rps").asDouble()).orElse(Double.NaN);
        double selectTps = pgSelect.map(r -> r.path("tps").asDouble()).orElse(Double.NaN);
        double insertTps = pgInsert.map(r -> r.path("tps").asDouble()).orElse(Double.NaN);
        ObjectNode baselines = document.putObject("baselines");
        live.ifPresent(r -> baselines.set("liveness", summary(r).put("where", "management port, /q/health/live")));
        pgSelect.ifPresent(r -> baselines.set("pg_select", pg(r, "select * from account_connector where id = $1 (primary key)")));
        pgInsert.ifPresent(r -> baselines.set("pg_insert", pg(r, "insert of one row shaped like credential_read, with its indexes")));
        pgSelectPartners.ifPresent(r -> baselines.set("pg_select_partners",
                pg(r, "select * from account_connector where partner_id = $1 and account_id = $2, " + partners + " partners x " + partnerRows)));
        line("BASELINES (same run, same concurrency)");
        line("  %-58s %9s req/s  p50 %7s ms  p99 %7s ms", "service liveness GET /q/health/live (management port)",
                num(liveRps, 0), live.map(r -> num(r.path("p50_ms").asDouble(), 2)).orElse("-"), live.map(r -> num(r.path("p99_ms").asDouble(), 2)).orElse("-"));
        line("  %-58s %9s tx/s   avg %7s ms", "PostgreSQL select by primary key (pgbench -M prepared)", num(selectTps, 0),
                pgSelect.map(r -> num(r.path("latency_avg_ms").asDouble(), 2)).orElse("-"));
        line("  %-58s %9s tx/s   avg %7s ms", "PostgreSQL single-row insert, durable commit (pgbench)", num(insertTps, 0),
                pgInsert.map(r -> num(r.path("latency_avg_ms").asDouble(), 2)).orElse("-"));
        pgSelectPartners.ifPresent(r -> line("  %-58s %9s tx/s   avg %7s ms", "PostgreSQL select by (partner, account), " + partners + " partners (pgbench)",
                num(r.path("tps").asDouble(), 0), num(r.path("latency_avg_ms").asDouble(), 2)));
        line("");

        // Start-up and memory.
        OptionalDouble plainMs = startupMedian("plain", "ready_ms");
        OptionalDouble aotMs = startupMedian("aot", "ready_ms");
        OptionalDouble plainRss = startupMedian("plain", "rss_mib");
        OptionalDouble aotRss = startupMedian("aot", "rss_mib");
        OptionalDouble floorMs = startupMedian("floor", "ready_ms");
        OptionalDouble floorRss = startupMedian("floor", "rss_mib");
        Optional<JsonNode> first = one("first-start", n -> true);
        Optional<JsonNode> rssLoad = one("rss", n -> n.path("rows").asLong() == rows && partners(n) == 1);
        Optional<JsonNode> rssLoadLarge = one("rss", n -> n.path("rows").asLong() == largeRows && partners(n) == 1);
        Optional<JsonNode> rssLoadPartners = one("rss", n -> partners(n) > 1);
        ObjectNode startup = document.putObject("startup");
        startup.set("plain", startupNode("plain"));
        startup.set("aot", startupNode("aot").put("cache", aotSource));
        if (floorMs.isPresent()) {
            startup.set("stack_alone", startupNode("floor"));
        }
        first.ifPresent(f -> startup.putObject("first_start_with_migrations").put("ready_ms", f.path("ready_ms").asLong()));
        ObjectNode memory = document.putObject("memory");
        put(memory, "rss_after_start_plain_mib", plainRss);
        put(memory, "rss_after_start_aot_mib", aotRss);
        rssLoad.ifPresent(r -> memory.put("rss_after_load_mib", r.path("rss_mib").asDouble()));
        rssLoadLarge.ifPresent(r -> memory.put("rss_after_load_large_mib", r.path("rss_mib").asDouble()));
        rssLoadPartners.ifPresent(r -> memory.put("rss_after_load_partners_mib", r.path("rss_mib").asDouble()));
        line("START-UP AND MEMORY");
        line("  %-58s %s", "start-up to ready, plain JVM (median of " + all("startup", n -> n.path("mode").asText().equals("plain")).size() + ")",
                ms(plainMs) + samples("plain") + quarkusSays("plain"));
        line("  %-58s %s", "start-up to ready, JVM with AOT cache (median of " + all("startup", n -> n.path("mode").asText().equals("aot")).size() + ")",
                ms(aotMs) + samples("aot") + quarkusSays("aot"));
        line("  %-58s %s", "  AOT cache", aotSource);
        if (floorMs.isPresent()) {
            line("  %-58s %s", "the stack alone, plain JVM (bench/floor, median of " + all("startup", n -> n.path("mode").asText().equals("floor")).size() + ")",
                    ms(floorMs) + samples("floor") + "; RSS " + num(floorRss, 0) + " MiB");
            line("  %-58s %s", "  the service's start-up / the stack alone's", ratio(plainMs, floorMs));
        }
        first.ifPresent(f -> line("  %-58s %d ms", "first start, migrating the empty database (not a gate)", f.path("ready_ms").asLong()));
        line("  %-58s %s / %s MiB", "RSS right after start, plain / AOT (median)", num(plainRss, 0), num(aotRss, 0));
        line("  %-58s %s MiB%s", "RSS after load (" + rows + " installations)", rssLoad.map(r -> num(r.path("rss_mib").asDouble(), 0)).orElse("-"),
                rssLoadLarge.map(r -> ", " + num(r.path("rss_mib").asDouble(), 0) + " MiB after load with " + largeRows).orElse(""));
        all("seed", n -> true).forEach(s -> line("  %-58s %d ms", (partners(s) > 1 ? "seeded " + partners(s) + " partners x " : "seeded ")
                + "bench-" + s.path("from").asLong() + ".." + s.path("to").asLong() + " (Seeder + COPY)", s.path("ms").asLong()));
        ArrayNode sizes = document.putArray("sizes");
        all("size", n -> true).forEach(s -> {
            sizes.add(s.deepCopy());
            ((ObjectNode) sizes.get(sizes.size() - 1)).remove("kind");
            line("  %-58s %s MiB (indexes %s MiB); database %s MiB", "account_connector, " + s.path("installations").asLong() + " rows"
                    + (partners(s) > 1 ? " (" + partners(s) + " partners and default)" : ""), num(s.path("table_bytes").asDouble() / 1048576, 1),
                    num(s.path("index_bytes").asDouble() / 1048576, 1), num(s.path("database_bytes").asDouble() / 1048576, 1));
        });
        line("");

        // The load table.
        line("HOT PATHS (%% = share of the baseline's rate: liveness, PostgreSQL select, PostgreSQL insert)");
        line("  %-58s %10s %-5s %9s %8s %8s %7s %7s %7s %7s", "figure", "data set", "phase", "req/s", "p50 ms", "p99 ms", "non-2xx",
                "%live", "%pgsel", "%pgins");
        ArrayNode loads = document.putArray("loads");
        // The data sets: partner default's ROWS, its LARGE_ROWS (warm only), PARTNERS x PARTNER_ROWS.
        long[][] dataSets = {{1, rows}, {1, largeRows}, {partners, partnerRows}};
        for (String[] scenario : SCENARIOS) {
            for (long[] dataSet : dataSets) {
                long p = dataSet[0];
                long r = dataSet[1];
                for (String phase : new String[] {"cold", "warm", "sequential"}) {
                    if (p == 0 || r == 0 || (p == 1 && r == largeRows && !phase.equals("warm"))) {
                        continue;
                    }
                    Optional<JsonNode> result = load(scenario[0], phase, r, p);
                    if (result.isEmpty()) {
                        continue;
                    }
                    JsonNode res = result.get();
                    double rps = res.path("rps").asDouble();
                    ObjectNode node = JSON.createObjectNode().put("name", scenario[0]).put("phase", phase).put("rows", r).put("partners", p);
                    node.setAll(summary(res));
                    boolean service = !scenario[0].equals("stand-in") && !scenario[0].equals("liveness");
                    if (service) {
                        node.put("share_of_liveness", rps / liveRps).put("share_of_pg_select", rps / selectTps)
                                .put("share_of_pg_insert", rps / insertTps);
                    }
                    loads.add(node);
                    String flags = (res.path("requests").asLong() == 0 ? "  [no answer completed within the loop]" : "")
                            + (res.path("exhausted").asInt() > 0 ? "  [ran out of OAuth states: rate understated]" : "")
                            + (res.path("unexpected").asInt() > 0 ? "  [" + res.path("unexpected").asInt() + " answers without the expected content]" : "")
                            + (socketErrors(res) > 0 ? "  [" + socketErrors(res) + " socket errors/timeouts]" : "");
                    line("  %-58s %10s %-5s %9s %8s %8s %7d %7s %7s %7s%s", scenario[1], p + "x" + r, phase, num(rps, 0),
                            num(res.path("p50_ms").asDouble(), 2), num(res.path("p99_ms").asDouble(), 2), res.path("errors").path("status").asLong(),
                            service ? pct(rps / liveRps) : "", service ? pct(rps / selectTps) : "", service ? pct(rps / insertTps) : "", flags);
                }
            }
        }
        OptionalDouble proxyWarm = difference(load("proxy", "warm", rows), load("stand-in", "warm", -1));
        OptionalDouble proxyCold = difference(load("proxy", "cold", rows), load("stand-in", "warm", -1));
        OptionalDouble proxySequential = difference(load("proxy", "sequential", rows), load("stand-in", "sequential", -1));
        ObjectNode proxy = document.putObject("proxy_overhead_p50_ms");
        put(proxy, "sequential", proxySequential);
        put(proxy, "warm", proxyWarm);
        put(proxy, "cold", proxyCold);
        line("  %-58s one caller %s ms; %d connections: warm %s ms, cold %s ms", "proxy overhead at p50 (proxied p50 - direct p50)",
                num(proxySequential, 2), run.path("connections").asInt(), num(proxyWarm, 2), num(proxyCold, 2));
        line("");

        // Many partners beside partner default alone: the same figures, side by side (no gates here).
        if (partners > 0 && partnerRows > 0) {
            manyPartners(rows, partners, partnerRows, rssLoad, rssLoadPartners);
        }

        // The audit of credential reads.
        long answered = 0;
        long audited = 0;
        int loops = 0;
        boolean complete = true;
        for (JsonNode a : all("audit", n -> true)) {
            JsonNode res = a.path("result");
            long ok = res.path("requests").asLong() - res.path("errors").path("status").asLong();
            answered += ok;
            audited += a.path("audited").asLong();
            complete &= a.path("audited").asLong() >= ok;
            loops++;
        }
        document.putObject("audit").put("credentials_loops", loops).put("answered_2xx", answered).put("credential_read_rows", audited)
                .put("every_answer_audited", complete && loops > 0);
        line("AUDIT: %d credential_read rows written during %d credentials loops that got %d 2xx answers (counted right after each loop;"
                + " a few more rows than answers are requests still in flight when wrk stopped)", audited, loops, answered);
        Optional<JsonNode> log = one("service-log", n -> true);
        log.ifPresent(l -> {
            ObjectNode node = document.putObject("service_log");
            node.put("error_lines", l.path("errors").asLong());
            node.set("errors", l.path("error_messages"));
            node.set("warnings", l.path("warn_messages"));
            line("SERVICE LOG: %d ERROR lines during the run%s", l.path("errors").asLong(), l.path("errors").asLong() > 0 ? ", by message:" : "");
            l.path("error_messages").forEach(m -> line("  %6d  %s", m.path("count").asLong(), m.path("message").asText()));
        });
        line("");

        // Gates and targets.
        Optional<JsonNode> credWarm = load("credentials", "warm", rows);
        Optional<JsonNode> viewWarm = load("view", "warm", rows);
        Optional<JsonNode> callbackWarm = load("callback", "warm", rows);
        Optional<JsonNode> authorizeWarm = load("authorize", "warm", rows);
        ArrayNode gates = document.putArray("gates");
        line("GATES (issues #10 and #24: must be met)");
        // Issue 24 restates issue 10's 2-second start-up against what the stack itself needs on the machine at
        // hand (bench/floor: the same extensions, JVM, options and database, in the same run).
        check(gates, "startup_vs_floor", "start-up to ready, plain JVM <= 1.3 x the stack alone (same run, same options)",
                ms(plainMs) + " / " + ms(floorMs) + " = " + ratio(plainMs, floorMs),
                plainMs.isPresent() && floorMs.isPresent() ? plainMs.getAsDouble() <= 1.3 * floorMs.getAsDouble() : null, true);
        check(gates, "startup_aot_half", "start-up with the AOT cache <= 0.5 x plain (same run, same options)",
                ms(aotMs) + " / " + ms(plainMs) + " = " + ratio(aotMs, plainMs),
                aotMs.isPresent() && plainMs.isPresent() ? aotMs.getAsDouble() <= 0.5 * plainMs.getAsDouble() : null, true);
        // Every cold start after step 2 runs the cache, as deploy/ does (cold_loops in run.sh).
        Optional<JsonNode> worstColdAot = all("load", n -> n.path("phase").asText().equals("cold") && n.path("aot").asBoolean()).stream()
                .max((a, b) -> Double.compare(a.path("result").path("p99_ms").asDouble(), b.path("result").path("p99_ms").asDouble()));
        check(gates, "cold_p99_aot", "cold p99 with the AOT cache (first " + run.path("cold_s").asInt() + " s after start) <= 100 ms, every scenario",
                worstColdAot.map(w -> "worst " + num(w.path("result").path("p99_ms").asDouble(), 1) + " ms (" + w.path("name").asText()
                        + ", " + partners(w) + "x" + w.path("rows").asLong() + ")").orElse("-"),
                worstColdAot.map(w -> w.path("result").path("p99_ms").asDouble() <= 100).orElse(null), true);
        check(gates, "rss_after_load", "RSS after load <= 300 MiB, deploy/'s JVM options (" + rows + " installations)",
                rssLoad.map(r -> num(r.path("rss_mib").asDouble(), 0) + " MiB").orElse("-"),
                rssLoad.map(r -> r.path("rss_mib").asDouble() <= 300).orElse(null), true);
        check(gates, "rss_after_start", "RSS after start <= 200 MiB", num(plainRss, 0) + " MiB",
                plainRss.isPresent() ? plainRss.getAsDouble() <= 200 : null, true);
        check(gates, "credentials_warm", "credentials warm >= 2,000 req/s with p99 <= 30 ms", rate(credWarm),
                credWarm.map(r -> r.path("rps").asDouble() >= 2000 && r.path("p99_ms").asDouble() <= 30).orElse(null), true);
        check(gates, "credentials_audited", "every credential read audited (rows >= 2xx answers, each loop)",
                audited + " rows / " + answered + " answers", loops > 0 ? complete : null, true);
        check(gates, "view_warm", "installation view warm >= 3,000 req/s", rate(viewWarm),
                viewWarm.map(r -> r.path("rps").asDouble() >= 3000).orElse(null), true);
        // Latency gates are read where latency is what they measure: one caller at a time (the issue's own
        // callback baseline was sequential). At the fixed concurrency, on two saturated cores, a p50 is
        // mostly the queue (concurrency / rate), so those figures stand beside them as targets.
        Optional<JsonNode> callbackSequential = load("callback", "sequential", rows);
        check(gates, "callback_p50", "callback p50 <= 8 ms, one caller at a time (zero-latency stand-in)",
                callbackSequential.map(r -> num(r.path("p50_ms").asDouble(), 2) + " ms").orElse("-"),
                delay > 0 ? null : callbackSequential.map(r -> r.path("p50_ms").asDouble() <= 8).orElse(null), true);
        check(gates, "proxy_overhead", "proxy adds <= 2 ms at p50, one caller at a time (warm)", num(proxySequential, 2) + " ms",
                proxySequential.isPresent() ? proxySequential.getAsDouble() <= 2 : null, true);
        for (String name : new String[] {"view", "credentials"}) {
            Optional<JsonNode> small = load(name, "warm", rows);
            Optional<JsonNode> large = largeRows > 0 ? load(name, "warm", largeRows) : Optional.empty();
            OptionalDouble share = small.isPresent() && large.isPresent()
                    ? OptionalDouble.of(large.get().path("rps").asDouble() / small.get().path("rps").asDouble()) : OptionalDouble.empty();
            check(gates, name + "_scale", name + " with " + (largeRows > 0 ? largeRows : "100000") + " installations keeps >= 80 % of its rate at " + rows,
                    share.isPresent() ? pct(share.getAsDouble()) : largeRows > 0 ? "not measured" : "not measured (LARGE_ROWS=0, QUICK)", share.isPresent() ? share.getAsDouble() >= 0.8 : null, true);
        }
        line("");
        ArrayNode targets = document.putArray("targets");
        line("TARGETS (met, or the gap explained)");
        check(targets, "credentials_3000", "credentials warm >= 3,000 req/s with p99 <= 20 ms", rate(credWarm),
                credWarm.map(r -> r.path("rps").asDouble() >= 3000 && r.path("p99_ms").asDouble() <= 20).orElse(null), false);
        check(targets, "authorize_vs_insert", "authorize warm >= 0.25 x PostgreSQL insert rate",
                authorizeWarm.map(r -> num(r.path("rps").asDouble(), 0) + " req/s = " + pct(r.path("rps").asDouble() / insertTps) + " of " + num(insertTps, 0)).orElse("-"),
                authorizeWarm.isPresent() && !Double.isNaN(insertTps) ? authorizeWarm.get().path("rps").asDouble() >= 0.25 * insertTps : null, false);
        check(targets, "callback_p99", "callback p99 <= 10 ms, one caller at a time",
                callbackSequential.map(r -> num(r.path("p99_ms").asDouble(), 2) + " ms").orElse("-"),
                delay > 0 ? null : callbackSequential.map(r -> r.path("p99_ms").asDouble() <= 10).orElse(null), false);
        int connections = run.path("connections").asInt();
        check(targets, "callback_p50_concurrent", "callback p50 <= 8 ms at " + connections + " connections",
                callbackWarm.map(r -> num(r.path("p50_ms").asDouble(), 2) + " ms (" + num(r.path("rps").asDouble(), 0) + " req/s)").orElse("-"),
                delay > 0 ? null : callbackWarm.map(r -> r.path("p50_ms").asDouble() <= 8).orElse(null), false);
        check(targets, "proxy_overhead_concurrent", "proxy adds <= 2 ms at p50 at " + connections + " connections (warm)",
                num(proxyWarm, 2) + " ms", proxyWarm.isPresent() ? proxyWarm.getAsDouble() <= 2 : null, false);
        Optional<JsonNode> worstCold = all("load", n -> n.path("phase").asText().equals("cold")).stream()
                .max((a, b) -> Double.compare(a.path("result").path("p99_ms").asDouble(), b.path("result").path("p99_ms").asDouble()));
        check(targets, "cold_p99", "cold p99 (first " + run.path("cold_s").asInt() + " s after start) <= 100 ms, every scenario",
                worstCold.map(w -> "worst " + num(w.path("result").path("p99_ms").asDouble(), 1) + " ms (" + w.path("name").asText() + ")").orElse("-"),
                worstCold.map(w -> w.path("result").path("p99_ms").asDouble() <= 100).orElse(null), false);
        check(targets, "startup_aot", "start-up with the AOT cache <= 1,000 ms", ms(aotMs), aotMs.isPresent() ? aotMs.getAsDouble() <= 1000 : null, false);
        check(targets, "rss_150", "RSS after start <= 150 MiB", num(plainRss, 0) + " MiB", plainRss.isPresent() ? plainRss.getAsDouble() <= 150 : null, false);
    }

    /**
     * The figures of partner default's ROWS and of PARTNERS x PARTNER_ROWS side by side: each warm and
     * sequential loop's rate and latency, the cold p99, start-up and memory, and the many partners'
     * share of the single partner's rate. Measured only: the performance issue sets the gates.
     */
    void manyPartners(long rows, long partners, long partnerRows, Optional<JsonNode> rssLoad, Optional<JsonNode> rssLoadPartners) {
        String one = "1x" + rows;
        String many = partners + "x" + partnerRows;
        ObjectNode node = document.putObject("partners");
        node.put("partners", partners).put("installations_each", partnerRows).put("single_partner_installations", rows);
        // Both data sets' start-ups are the ones before their cold loops: taken the same way, unlike step 2's quiet ones.
        OptionalDouble coldMs = startupMedian("cold", "ready_ms");
        OptionalDouble coldRss = startupMedian("cold", "rss_mib");
        OptionalDouble partnersMs = startupMedian("partners", "ready_ms");
        OptionalDouble partnersRss = startupMedian("partners", "rss_mib");
        put(node, "median_ready_ms", partnersMs);
        put(node, "median_rss_after_start_mib", partnersRss);
        put(node, "single_partner_median_ready_ms", coldMs);
        put(node, "single_partner_median_rss_after_start_mib", coldRss);
        rssLoadPartners.ifPresent(r -> node.put("rss_after_load_mib", r.path("rss_mib").asDouble()));
        line("MANY PARTNERS (issue 20): %s (partner default alone) beside %s (each request a random partner's key and installation); measured, no gates",
                one, many);
        line("  %-44s %-10s %26s %26s %8s", "figure", "phase", one + ": req/s, p50/p99 ms", many + ": req/s, p50/p99 ms", "ratio");
        ArrayNode compared = node.putArray("compared");
        for (String[] scenario : SCENARIOS.subList(0, 6)) {
            for (String phase : new String[] {"cold", "warm", "sequential"}) {
                Optional<JsonNode> single = load(scenario[0], phase, rows, 1);
                Optional<JsonNode> multi = load(scenario[0], phase, partnerRows, partners);
                if (single.isEmpty() && multi.isEmpty()) {
                    continue;
                }
                OptionalDouble share = single.isPresent() && multi.isPresent() && single.get().path("rps").asDouble() > 0
                        ? OptionalDouble.of(multi.get().path("rps").asDouble() / single.get().path("rps").asDouble()) : OptionalDouble.empty();
                ObjectNode row = compared.addObject().put("name", scenario[0]).put("phase", phase);
                single.ifPresent(r -> row.set("single_partner", summary(r)));
                multi.ifPresent(r -> row.set("many_partners", summary(r)));
                put(row, "rate_ratio", share);
                String flags = multi.map(r -> r.path("errors").path("status").asLong() > 0
                        ? "  [" + r.path("errors").path("status").asLong() + " non-2xx with " + partners + " partners]" : "").orElse("");
                line("  %-44s %-10s %26s %26s %8s%s", scenario[1].substring(0, Math.min(44, scenario[1].length())), phase,
                        brief(single), brief(multi), share.isPresent() ? pct(share.getAsDouble()) : "-", flags);
            }
        }
        line("  %-44s %-10s %26s %26s", "start-up to ready before each cold loop (median)", "", ms(coldMs), ms(partnersMs));
        line("  %-44s %-10s %26s %26s", "RSS right after those starts (median)", "", num(coldRss, 0) + " MiB", num(partnersRss, 0) + " MiB");
        line("  %-44s %-10s %26s %26s", "RSS after the warm loops", "", rssLoad.map(r -> num(r.path("rss_mib").asDouble(), 0) + " MiB").orElse("-"),
                rssLoadPartners.map(r -> num(r.path("rss_mib").asDouble(), 0) + " MiB").orElse("-"));
        OptionalDouble overhead = difference(load("proxy", "sequential", partnerRows, partners), load("stand-in", "sequential", -1));
        put(node, "proxy_overhead_sequential_p50_ms", overhead);
        line("  %-44s %-10s %26s %26s", "proxy overhead at p50, one caller at a time", "",
                num(difference(load("proxy", "sequential", rows), load("stand-in", "sequential", -1)), 2) + " ms", num(overhead, 2) + " ms");
        line("");
    }

    static String brief(Optional<JsonNode> r) {
        return r.map(x -> num(x.path("rps").asDouble(), 0) + ", " + num(x.path("p50_ms").asDouble(), 2) + "/" + num(x.path("p99_ms").asDouble(), 2))
                .orElse("-");
    }

    // ---- helpers ----

    void check(ArrayNode into, String id, String description, String value, Boolean met, boolean gate) {
        String verdict = met == null ? "SKIP" : gate ? (met ? "PASS" : "FAIL") : (met ? "MET" : "GAP");
        if (gate && Boolean.FALSE.equals(met)) {
            gateFailed = true;
        }
        into.addObject().put("id", id).put("description", description).put("value", value).put("verdict", verdict);
        line("  %-4s  %-66s %s", verdict, description, value);
    }

    ObjectNode startupNode(String mode) {
        ObjectNode node = JSON.createObjectNode();
        put(node, "median_ready_ms", startupMedian(mode, "ready_ms"));
        put(node, "median_quarkus_started_s", startupMedian(mode, "quarkus_s"));
        put(node, "median_rss_mib", startupMedian(mode, "rss_mib"));
        ArrayNode samples = node.putArray("ready_ms");
        all("startup", n -> n.path("mode").asText().equals(mode)).forEach(n -> samples.add(n.path("ready_ms").asLong()));
        return node;
    }

    String samples(String mode) {
        List<JsonNode> s = all("startup", n -> n.path("mode").asText().equals(mode));
        return s.size() < 2 ? "" : " (" + String.join(", ", s.stream().map(n -> n.path("ready_ms").asText()).toList()) + ")";
    }

    String quarkusSays(String mode) {
        OptionalDouble q = startupMedian(mode, "quarkus_s");
        return q.isPresent() ? "; Quarkus says \"started in " + num(q.getAsDouble(), 3) + "s\"" : "";
    }

    static ObjectNode summary(JsonNode r) {
        return JSON.createObjectNode().put("rps", r.path("rps").asDouble()).put("p50_ms", r.path("p50_ms").asDouble())
                .put("p90_ms", r.path("p90_ms").asDouble()).put("p99_ms", r.path("p99_ms").asDouble()).put("max_ms", r.path("max_ms").asDouble())
                .put("requests", r.path("requests").asLong()).put("seconds", r.path("duration_s").asDouble())
                .put("non_2xx", r.path("errors").path("status").asLong()).put("socket_errors", socketErrors(r))
                .put("ran_out_of_states", r.path("exhausted").asInt() > 0).put("unexpected_answers", r.path("unexpected").asLong());
    }

    static ObjectNode pg(JsonNode r, String what) {
        return JSON.createObjectNode().put("tps", r.path("tps").asDouble()).put("latency_avg_ms", r.path("latency_avg_ms").asDouble())
                .put("failed", r.path("failed").asLong()).put("statement", what);
    }

    static long socketErrors(JsonNode r) {
        JsonNode e = r.path("errors");
        return e.path("connect").asLong() + e.path("read").asLong() + e.path("write").asLong() + e.path("timeout").asLong();
    }

    static OptionalDouble difference(Optional<JsonNode> a, Optional<JsonNode> b) {
        return a.isPresent() && b.isPresent()
                ? OptionalDouble.of(a.get().path("p50_ms").asDouble() - b.get().path("p50_ms").asDouble()) : OptionalDouble.empty();
    }

    static void put(ObjectNode node, String field, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(field, value.getAsDouble());
        } else {
            node.putNull(field);
        }
    }

    static String rate(Optional<JsonNode> r) {
        return r.map(x -> num(x.path("rps").asDouble(), 0) + " req/s, p99 " + num(x.path("p99_ms").asDouble(), 2) + " ms").orElse("-");
    }

    static String ms(OptionalDouble v) {
        return v.isPresent() ? num(v.getAsDouble(), 0) + " ms" : "-";
    }

    static String ratio(OptionalDouble a, OptionalDouble b) {
        return a.isPresent() && b.isPresent() && b.getAsDouble() > 0 ? num(a.getAsDouble() / b.getAsDouble(), 2) + "×" : "-";
    }

    static String num(OptionalDouble v, int decimals) {
        return v.isPresent() ? num(v.getAsDouble(), decimals) : "-";
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String pct(double share) {
        return Double.isNaN(share) || Double.isInfinite(share) ? "-"
                : String.format(Locale.ROOT, share < 0.1 ? "%.1f%%" : "%.0f%%", share * 100);
    }

    /**
     * Prints, and adds to the document as {@code compared_with_record}, every figure of this run beside the same
     * figure of a run of record (start-up, memory, baselines, every measured loop's rate and latency, the proxy's
     * overhead) and its change. Figures only one of the two runs has are listed as such; nothing is judged here.
     */
    void compareWith(Path recordFile) throws IOException {
        JsonNode record = JSON.readTree(recordFile.toFile());
        java.util.Map<String, Double> before = figures(record);
        java.util.Map<String, Double> now = figures(document);
        ObjectNode compared = document.putObject("compared_with_record");
        compared.put("file", recordFile.getFileName().toString());
        compared.put("record_commit", record.path("run").path("commit").asText());
        compared.put("record_date", record.path("run").path("date").asText());
        ArrayNode rows = compared.putArray("figures");
        line("");
        line("CHANGE AGAINST THE RUN OF RECORD (%s, commit %s, %s)", recordFile.getFileName(), record.path("run").path("commit").asText(),
                record.path("run").path("date").asText());
        // Figures compare only as far as the runs' conditions do: name every condition that differs.
        for (String condition : List.of("jvm_options", "aot_cache", "loads_with_aot_cache", "java", "postgresql", "commit")) {
            String was = record.path("run").path(condition).asText("-");
            String is = document.path("run").path(condition).asText("-");
            if (!was.equals(is)) {
                compared.putObject("differs_" + condition).put("record", was).put("this_run", is);
                line("  differs: %s: record \"%s\", this run \"%s\"", condition, was, is);
            }
        }
        line("  %-62s %12s %12s %9s", "figure", "record", "this run", "change");
        java.util.Set<String> names = new java.util.LinkedHashSet<>(now.keySet());
        names.addAll(before.keySet());
        for (String name : names) {
            Double a = before.get(name);
            Double b = now.get(name);
            ObjectNode row = rows.addObject().put("figure", name);
            if (a == null || b == null) {
                row.put(a == null ? "record" : "this_run", "not measured");
                line("  %-62s %12s %12s %9s", name, a == null ? "-" : num(a, 2), b == null ? "-" : num(b, 2), a == null ? "new" : "not run");
            } else {
                row.put("record", a).put("this_run", b);
                String change = a == 0 ? "-" : String.format(Locale.ROOT, "%+.1f%%", (b - a) / a * 100);
                row.put("change", change);
                line("  %-62s %12s %12s %9s", name, num(a, 2), num(b, 2), change);
            }
        }
    }

    /** The comparable figures of a report document, by a name that says what each is (and in which unit). */
    static java.util.Map<String, Double> figures(JsonNode doc) {
        java.util.Map<String, Double> found = new java.util.LinkedHashMap<>();
        for (String mode : List.of("plain", "aot", "stack_alone")) {
            JsonNode s = doc.path("startup").path(mode);
            putIf(found, "start-up to ready, " + mode + ", ms", s.path("median_ready_ms"));
            putIf(found, "RSS after start, " + mode + ", MiB", s.path("median_rss_mib"));
        }
        doc.path("memory").properties().forEach(e -> putIf(found, "memory " + e.getKey(), e.getValue()));
        putIf(found, "liveness, req/s", doc.path("baselines").path("liveness").path("rps"));
        for (String pg : List.of("pg_select", "pg_insert", "pg_select_partners")) {
            putIf(found, pg + ", tx/s", doc.path("baselines").path(pg).path("tps"));
        }
        for (JsonNode load : doc.path("loads")) {
            String name = load.path("name").asText() + " " + load.path("phase").asText() + " " + load.path("partners").asLong(1) + "x"
                    + load.path("rows").asLong();
            putIf(found, name + ", req/s", load.path("rps"));
            putIf(found, name + ", p50 ms", load.path("p50_ms"));
            putIf(found, name + ", p99 ms", load.path("p99_ms"));
        }
        doc.path("proxy_overhead_p50_ms").properties().forEach(e -> putIf(found, "proxy overhead p50 " + e.getKey() + ", ms", e.getValue()));
        return found;
    }

    static void putIf(java.util.Map<String, Double> figures, String name, JsonNode value) {
        if (value.isNumber()) {
            figures.put(name, value.asDouble());
        }
    }

    void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
