package org.gpcrace.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Observation;

/**
 * The reference column when hosts are compared without a model: what each test declares it will
 * show, the same declaration {@link org.gpcrace.result.Grading} grades a run by, written as the
 * claims a model would make.
 * <ul>
 *   <li>a FORBIDDEN outcome outside the test's declared race: Never (seen = Grading's finding);</li>
 *   <li>a declared-unsafe control's race: one row, {@code race(a|b)}, whose count sums the race
 *       outcomes (capped at the rounds): Sometimes (unseen = Grading's race not reproduced);</li>
 *   <li>every other outcome, and anything a litmus log shows: no claim, any count agrees.</li>
 * </ul>
 * A test without an expectation is graded as safe, so it is read here as safe too.
 */
final class Declared {
    private Declared() {}

    static final String FILE = "declared expectations";

    /** One reference test per test name across the hosts, from the first host that declares it. */
    static Input reference(List<Input> hosts) {
        Map<String, List<TestRecord>> byName = new LinkedHashMap<>();
        Map<String, Boolean> litmus = new LinkedHashMap<>();
        for (Input h : hosts) {
            for (TestRecord t : h.tests()) {
                byName.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(t);
                litmus.merge(t.name(), h.format() == Input.Format.LITMUS, Boolean::logicalAnd);
            }
        }
        List<TestRecord> refs = new ArrayList<>();
        for (var e : byName.entrySet()) {
            List<TestRecord> ts = e.getValue();
            TestRecord first = ts.stream().filter(t -> t.expectation() != null).findFirst().orElse(ts.getFirst());
            Expectation exp = first.expectation() != null ? first.expectation() : Expectation.safe("no expectation declared");
            boolean claims = !litmus.get(e.getKey());
            Map<String, OutcomeRecord> os = new LinkedHashMap<>();
            Position where = Position.of(FILE);
            if (claims && exp.declaredUnsafe()) os.put(raceId(exp), new OutcomeRecord(raceId(exp), null, Observation.Sometimes, Grade.FORBIDDEN, where));
            for (TestRecord t : ts) {
                for (OutcomeRecord o : t.outcomes().values()) {
                    if (os.containsKey(o.id())) continue;
                    boolean never = claims && o.grade() == Grade.FORBIDDEN && !exp.race().contains(o.id());
                    os.put(o.id(), never ? new OutcomeRecord(o.id(), null, Observation.Never, o.grade(), where) : OutcomeRecord.noClaim(o.id(), o.grade(), where));
                }
            }
            refs.add(new TestRecord(e.getKey(), first.scenario(), Map.of(), true, null, 0, os, Map.of(), where, exp));
        }
        return new Input(FILE, Input.Format.DECLARED, null, null, refs, null);
    }

    /** The host with each declared-unsafe test's race row added (the reference's race, so all hosts share the row). */
    static Input withRaceRows(Input host, Input reference) {
        Map<String, TestRecord> refs = new LinkedHashMap<>();
        reference.tests().forEach(r -> refs.put(r.name(), r));
        List<TestRecord> tests = new ArrayList<>();
        for (TestRecord t : host.tests()) {
            TestRecord r = refs.get(t.name());
            if (r == null || r.expectation() == null || !r.expectation().declaredUnsafe() || !t.ran() || !r.outcomes().containsKey(raceId(r.expectation()))) {
                tests.add(t);
                continue;
            }
            long sum = 0;
            for (String id : r.expectation().race()) {
                OutcomeRecord o = t.outcomes().get(id);
                if (o != null) sum = Math.min(Long.MAX_VALUE / 2, sum + o.countOrZero());
            }
            String id = raceId(r.expectation());
            Map<String, OutcomeRecord> os = new LinkedHashMap<>();
            os.put(id, new OutcomeRecord(id, t.rounds() > 0 ? Math.min(sum, t.rounds()) : sum, null, Grade.FORBIDDEN, t.where()));
            os.putAll(t.outcomes());
            tests.add(t.withOutcomes(os));
        }
        return new Input(host.file(), host.format(), host.kind(), host.tool(), tests, host.kindWhere(), host.host(), host.run());
    }

    /** "race(stale-visible|stale-lost)": the row of a control's race, any of its outcomes. */
    static String raceId(Expectation e) {
        return "race(" + String.join("|", e.race()) + ")";
    }
}
