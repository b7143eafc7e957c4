/// The report's Mustache templates and its one style sheet. Mustache rather than building strings: every `{{…}}`
/// is HTML-escaped by the engine, so a plan title or a publisher's name can never break the markup, and the
/// templates read as the HTML they produce. Logic-less, so every decision (geometry, formatting, wording) is made
/// in Swift, where it is tested.
enum ReportTemplates {
    static let index = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{labels.reportTitle}} — {{labels.asOf}} {{asOf}}</title>
        <style>{{{css}}}</style>
        </head>
        <body>
        <header class="pw-header">
        <h1>{{labels.reportTitle}}</h1>
        <p class="pw-meta">{{labels.asOf}} <time datetime="{{asOf}}">{{asOf}}</time>{{#dataChanged}} · {{labels.dataChanged}} <time datetime="{{.}}">{{.}}</time>{{/dataChanged}}</p>
        <p class="pw-summary">{{summary}}</p>
        <ul class="pw-counts">{{#counts}}<li><span class="pw-badge pw-state-{{state}}">{{label}}</span> {{count}}</li>{{/counts}}{{#overdue}}<li><span class="pw-badge pw-stale">{{labels.dataOverdue}}</span> {{.}}</li>{{/overdue}}</ul>
        </header>
        <main>
        {{#plans}}
        <section class="pw-plan-section" id="plan-{{id}}">
        <h2>{{title}}</h2>
        <p class="pw-meta">{{id}} · {{issued}}</p>
        <ul class="pw-counts">{{#counts}}<li><span class="pw-badge pw-state-{{state}}">{{label}}</span> {{count}}</li>{{/counts}}</ul>
        <table class="pw-plan">
        <thead><tr><th scope="col">{{labels.target}}</th><th scope="col">{{labels.state}}</th><th scope="col">{{labels.region}}</th><th scope="col" class="pw-num">{{labels.latest}}</th><th scope="col" class="pw-num">{{labels.targetValue}}</th><th scope="col" class="pw-num">{{labels.pace}}</th><th scope="col" class="pw-num">{{labels.projected}}</th><th scope="col">{{labels.values}}</th></tr></thead>
        <tbody>
        {{{rows}}}
        </tbody>
        </table>
        </section>
        {{/plans}}
        </main>
        </body>
        </html>

        """

    static let target = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{id}} — {{stateLabel}} — {{labels.asOf}} {{asOf}}</title>
        <style>{{{css}}}</style>
        </head>
        <body class="pw-target-page">
        <nav class="pw-nav"><a href="../index.html">← {{labels.back}}</a></nav>
        <header class="pw-header">
        <p class="pw-meta">{{planTitle}}</p>
        <h1>{{title}} <span class="pw-badge pw-state-{{state}}">{{stateLabel}}</span>{{#overdue}} <span class="pw-badge pw-stale">{{.}}</span>{{/overdue}}</h1>
        <p class="pw-message">{{message}}</p>
        </header>
        <main>
        {{#chart}}
        <figure class="pw-figure">
        {{{svg}}}
        <figcaption><span class="pw-key pw-key-series"></span> {{labels.values}} · <span class="pw-key pw-key-required"></span> {{labels.requiredPath}} · <span class="pw-key pw-key-projection"></span> {{labels.projection}}{{#target}} · <span class="pw-key pw-key-target"></span> {{labels.targetValue}}{{/target}}{{#reference}} · <span class="pw-key pw-key-reference"></span> {{labels.referenceWord}}{{/reference}}</figcaption>
        </figure>
        {{/chart}}
        <section>
        <dl class="pw-facts">{{{facts}}}</dl>
        {{#notes}}<p class="pw-notes">{{labels.notes}}: {{.}}</p>{{/notes}}
        </section>
        <section>
        <h2>{{labels.values}}</h2>
        <table class="pw-values">
        <thead><tr><th scope="col">{{labels.period}}</th><th scope="col" class="pw-num">{{labels.value}}</th><th scope="col">{{labels.source}}</th><th scope="col">{{labels.vintage}}</th><th scope="col">{{labels.file}}</th><th scope="col">{{labels.status}}</th></tr></thead>
        <tbody>
        {{{values}}}
        </tbody>
        </table>
        </section>
        {{#members}}
        <section>
        <h2>{{labels.members}}</h2>
        <table class="pw-members">
        <thead><tr><th scope="col">{{labels.period}}</th>{{{members.head}}}</tr></thead>
        <tbody>
        {{{members.rows}}}
        </tbody>
        </table>
        </section>
        {{/members}}
        </main>
        </body>
        </html>

        """

    /// One style sheet, inline in every page: nothing is fetched. State colors are the terminal table's (green,
    /// yellow, red, grey); the print block puts one target on one landscape page.
    static let css = """
        :root{--ok:#1a7f37;--risk:#9a6700;--bad:#cf222e;--none:#6e7781;--ink:#1f2328;--line:#d0d7de}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--ink);margin:1.5rem auto;max-width:1120px;padding:0 1rem}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .4rem}
        .pw-meta{color:#57606a;margin:.2rem 0}.pw-message{max-width:60rem}
        .pw-counts{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.8rem}
        .pw-badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;color:#fff;background:var(--none);white-space:nowrap}
        .pw-state-achieved,.pw-state-met,.pw-state-on_track{background:var(--ok)}
        .pw-state-at_risk{background:var(--risk)}.pw-state-off_track,.pw-state-missed{background:var(--bad)}
        .pw-state-insufficient_data,.pw-state-stale{background:var(--none)}
        .pw-stale{background:#8250df}
        table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{font-size:.8rem;color:#57606a;font-weight:600}.pw-num{text-align:right;font-variant-numeric:tabular-nums}
        .pw-title{color:#57606a;font-size:.85rem}.pw-nodata{color:var(--none);font-size:.85rem}
        .pw-missing{color:var(--bad);font-weight:600}
        .pw-sparkline .pw-spark-line{fill:none;stroke:#0969da;stroke-width:1.5}.pw-spark-last{fill:#0969da}
        .pw-spark-target{stroke:var(--bad);stroke-dasharray:3 2;stroke-width:1}
        .pw-figure{margin:1rem 0}.pw-chart{max-width:100%;height:auto;font-size:12px}
        .pw-grid{stroke:#eaeef2}.pw-axis{stroke:#8c959f}.pw-tick,.pw-legend-text,.pw-mark-label{fill:#57606a}
        .pw-axis-label{fill:#57606a;font-weight:600}
        .pw-series{fill:none;stroke:#0969da;stroke-width:2}
        .pw-reference{fill:none;stroke:#8250df;stroke-width:2;stroke-dasharray:6 3}
        .pw-target{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:6 3}
        .pw-required{fill:none;stroke:var(--ok);stroke-width:1.5;stroke-dasharray:2 3}
        .pw-projection{fill:none;stroke:#bf8700;stroke-width:1.5;stroke-dasharray:8 4}
        .pw-reference-projection{fill:none;stroke:#6e7781;stroke-width:1.5;stroke-dasharray:8 4}
        .pw-deadline{stroke:var(--ink);stroke-width:1}.pw-today{stroke:#8c959f;stroke-width:1;stroke-dasharray:1 3}
        .pw-baseline{fill:none;stroke:#8c959f;stroke-width:1.5}
        .pw-point,.pw-legend-mark{fill:#0969da;stroke:#fff;stroke-width:1}.pw-point.pw-secondary{fill:#8250df}
        .pw-point.pw-revised{fill:#fff;stroke:#0969da;stroke-width:1.5}
        .pw-key{display:inline-block;width:1.6rem;border-top:2px solid #0969da;vertical-align:middle}
        .pw-key-required{border-top:2px dotted var(--ok)}.pw-key-projection{border-top:2px dashed #bf8700}
        .pw-key-target{border-top:2px dashed var(--bad)}.pw-key-reference{border-top:2px dashed #8250df}
        figcaption{font-size:.85rem;color:#57606a}
        .pw-facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.6rem 0}.pw-facts dt{color:#57606a}.pw-facts dd{margin:0}
        @media print{
        @page{size:A4 landscape;margin:12mm}
        body{margin:0;max-width:none;font-size:11px}.pw-nav{display:none}
        .pw-figure,.pw-values,.pw-members,.pw-facts{break-inside:avoid}
        .pw-plan-section{break-inside:avoid-page}.pw-target-row{break-inside:avoid}
        .pw-badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        a{color:inherit;text-decoration:none}
        }

        """
}
