package org.gpcrace.report;

/** The report's one stylesheet, inlined into every page (a report is a single file). */
final class ReportStyle {
    private ReportStyle() {}

    static final String CSS = """
            :root{--fg:#1c2230;--muted:#5d6675;--line:#dfe3ea;--bg:#f4f5f7;--card:#fff;--bad:#b3261e;--badbg:#fdecea;\
            --ok:#1e6b34;--okbg:#e6f4ea;--warn:#8a5300;--warnbg:#fff4e0;--info:#1f4f8a;--infobg:#e8f0fb;--skip:#555;--skipbg:#ececec}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 "DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
            main{max-width:1140px;margin:0 auto;padding:24px 28px 48px}
            h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:0 0 10px}h3{font-size:15px;margin:22px 0 8px}
            a{color:var(--info);text-decoration:none}a:hover{text-decoration:underline}
            code{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:12.5px;background:#f1f3f6;border-radius:3px;padding:1px 4px}
            code.block{display:block;white-space:pre-wrap;word-break:break-all;padding:8px}
            .muted{color:var(--muted)}.small{font-size:12px}
            header.run,section.test,section.index,section.about{background:var(--card);border:1px solid var(--line);border-radius:10px;\
            padding:20px 24px;margin:0 0 18px;box-shadow:0 1px 2px rgba(20,30,50,.04)}
            section.about{display:flex;gap:36px;flex-wrap:wrap}section.about>div{flex:1 1 420px;min-width:0}
            .counts{margin:10px 0 0}.counts .badge{margin-right:4px}
            .badge{display:inline-block;padding:1px 10px;border-radius:12px;font-size:12.5px;font-weight:600;vertical-align:middle;white-space:nowrap}
            .v-ok{background:var(--okbg);color:var(--ok)}.v-race-reproduced{background:var(--infobg);color:var(--info)}
            .v-race-not-reproduced,.v-interrupted{background:var(--warnbg);color:var(--warn)}
            .v-finding,.v-failed,.v-ungraded{background:var(--badbg);color:var(--bad)}.v-skipped{background:var(--skipbg);color:var(--skip)}
            section.test h2{display:flex;gap:12px;align-items:center;flex-wrap:wrap;font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:18px}
            p.why{font-size:15px;margin:4px 0 8px}p.expect{margin:6px 0;color:var(--muted)}p.expect b{color:var(--fg)}
            .callout{border-radius:6px;padding:10px 14px;margin:10px 0}.callout.skip{background:var(--skipbg)}
            .callout.bad{background:var(--badbg);color:var(--bad)}.callout.warn{background:var(--warnbg);color:var(--warn)}
            dl.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:12px 0}dl.facts div{min-width:90px}
            dl.facts dt{font-size:11.5px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}dl.facts dd{margin:0;font-size:16px;font-weight:600}
            dl.prose{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dl.prose dt{color:var(--muted)}dl.prose dd{margin:0}
            .bad{color:var(--bad)}tr.bad td{color:var(--bad);font-weight:600}
            table{border-collapse:collapse;font-variant-numeric:tabular-nums}
            table.data{min-width:50%;margin:6px 0 10px;font-size:13px}table.data.wide{width:100%}table.data td:first-child code{white-space:nowrap}
            table.data th{text-align:left;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);padding:5px 10px;white-space:nowrap}
            table.data td{border-bottom:1px solid var(--line);padding:4px 10px;vertical-align:top}
            table.data tr:last-child td{border-bottom:none}
            .num{text-align:right}table.data th.num{text-align:right}
            table.kv{font-size:13px;margin:4px 0 8px}table.kv th{text-align:left;font-weight:normal;color:var(--muted);padding:2px 18px 2px 0;vertical-align:top;white-space:nowrap}
            table.kv td{padding:2px 0;word-break:break-word}
            details{margin:6px 0}details>summary{cursor:pointer;color:var(--info);font-size:13px;margin:4px 0}
            figure.chart{margin:10px 0 18px;max-width:880px}figure.chart svg{display:block;width:100%;height:auto}
            ul.notes{margin:4px 0;padding-left:18px;font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:12px;white-space:pre-wrap}
            .pair{overflow-x:auto}
            table.index td:first-child,table.index td.num{white-space:nowrap}
            details.host-block h4{margin:8px 0 2px;font-size:13px}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:1px 16px;font-size:12px;margin:4px 0 8px}
            .grid .k{color:var(--muted)}
            table.trace td:nth-child(2){white-space:nowrap;font-weight:600}
            tr.actor-0 td:nth-child(2){color:#4e79a7}tr.actor-1 td:nth-child(2){color:#e15759}tr.actor-2 td:nth-child(2){color:#59a14f}
            tr.actor-3 td:nth-child(2){color:#b07aa1}tr.actor-4 td:nth-child(2){color:#f28e2b}tr.actor-5 td:nth-child(2){color:#9c755f}
            """;
}
