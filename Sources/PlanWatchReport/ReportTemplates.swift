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
        <p class="pw-meta">{{labels.asOf}} <time datetime="{{asOf}}">{{asOfWords}}</time>{{#dataChanged}} · {{labels.dataChanged}} <time datetime="{{time}}">{{words}}</time>{{/dataChanged}}</p>
        <nav class="pw-nav"><a href="method.html">{{labels.methodology}}</a><a href="index.csv" download>{{labels.downloadIndex}}</a></nav>
        <p class="pw-summary">{{summary}}</p>
        <ul class="pw-counts">{{#counts}}<li><span class="pw-badge pw-state-{{state}}">{{label}}</span> {{count}}</li>{{/counts}}{{#overdue}}<li><span class="pw-badge pw-stale">{{labels.dataOverdue}}</span> {{.}}</li>{{/overdue}}</ul>
        </header>
        <main>
        {{#plans}}
        <section class="pw-plan-section" id="plan-{{id}}">
        <h2>{{title}}</h2>
        <p class="pw-meta">{{id}} · {{labels.issued}} {{issued}}{{#url}} · <a href="{{.}}" rel="external">{{labels.planDocument}}</a>{{/url}}</p>
        <ul class="pw-counts">{{#counts}}<li><span class="pw-badge pw-state-{{state}}">{{label}}</span> {{count}}</li>{{/counts}}</ul>
        <table class="pw-plan">
        <colgroup><col class="pw-col-target"><col class="pw-col-state"><col class="pw-col-region"><col class="pw-col-latest"><col class="pw-col-value"><col class="pw-col-pace"><col class="pw-col-projected"><col class="pw-col-trend"></colgroup>
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
        <nav class="pw-nav"><a href="../index.html">← {{labels.back}}</a><a href="../method.html">{{labels.methodology}}</a><a href="{{id}}.csv" download>{{labels.download}}</a></nav>
        <header class="pw-header">
        <p class="pw-meta">{{planTitle}}{{#planURL}} · <a href="{{.}}" rel="external">{{labels.planDocument}}</a>{{/planURL}}</p>
        <h1>{{title}} <span class="pw-badge pw-state-{{state}}">{{stateLabel}}</span>{{#overdue}} <span class="pw-badge pw-stale">{{.}}</span>{{/overdue}}</h1>
        <p class="pw-message">{{message}}</p>
        </header>
        <main>
        {{#chart}}
        <figure class="pw-figure">
        {{{svg}}}
        <figcaption><span class="pw-key pw-key-series"></span> {{labels.values}} · <span class="pw-key pw-key-required"></span> {{labels.requiredPath}} · <span class="pw-key pw-key-projection"></span> {{labels.projection}}{{#target}} · <span class="pw-key pw-key-target"></span> {{labels.targetValue}}{{/target}}{{#reference}} · <span class="pw-key pw-key-reference"></span> {{labels.referenceWord}}{{/reference}}
        <ul class="pw-legend">{{{legend}}}</ul></figcaption>
        </figure>
        {{/chart}}
        <section>
        <dl class="pw-facts">{{{facts}}}</dl>
        {{#notes}}<p class="pw-notes">{{labels.notes}}: {{.}}</p>{{/notes}}
        </section>
        <section>
        <h2>{{labels.values}}</h2>
        <div class="pw-scroll"><table class="pw-values">
        <thead><tr><th scope="col">{{labels.period}}</th><th scope="col" class="pw-num">{{labels.value}}</th><th scope="col">{{labels.source}}</th><th scope="col">{{labels.vintage}}</th><th scope="col">{{labels.file}}</th><th scope="col">{{labels.status}}</th></tr></thead>
        <tbody>
        {{{values}}}
        </tbody>
        </table></div>
        </section>
        {{#members}}
        <section>
        <h2>{{labels.members}}</h2>
        <div class="pw-scroll"><table class="pw-members">
        <thead><tr><th scope="col">{{labels.period}}</th>{{{members.head}}}</tr></thead>
        <tbody>
        {{{members.rows}}}
        </tbody>
        </table></div>
        {{#members.sources}}<p class="pw-meta">{{labels.sources}}: {{members.sources}}</p>{{/members.sources}}
        </section>
        {{/members}}
        <section>
        <h2>{{labels.sources}}</h2>
        <ul class="pw-sources">{{{sources}}}</ul>
        </section>
        </main>
        </body>
        </html>

        """


    static let method = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{labels.methodology}} — {{labels.reportTitle}}</title>
        <style>{{{css}}}</style>
        </head>
        <body>
        <nav class="pw-nav"><a href="index.html">← {{labels.back}}</a></nav>
        <header class="pw-header">
        <h1>{{labels.methodology}}</h1>
        </header>
        <main>
        <dl class="pw-method">
        {{#entries}}<dt id="{{id}}">{{term}}</dt><dd>{{text}}</dd>
        {{/entries}}</dl>
        </main>
        </body>
        </html>

        """

    /// One style sheet, inline in every page: nothing is fetched. Every state has its own colour (greens for the
    /// good states, amber, reds, greys), the freshness badge is purple and apart from the state; the plan tables
    /// share one column grid so columns align from plan to plan. Under 640 px the index's rows become stacked cards
    /// and the other tables scroll inside their own box, so no page is wider than a phone; the chart's text grows
    /// as the drawing shrinks. The print block puts one target on one landscape page.
    static let css = """
        :root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--ink);margin:1.5rem auto;max-width:1120px;padding:0 1rem;overflow-wrap:break-word}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .4rem}
        .pw-meta{color:var(--muted);margin:.2rem 0}.pw-message{max-width:60rem}
        .pw-nav{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
        .pw-counts{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.8rem}
        .pw-badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;color:#fff;background:#6e7781;white-space:nowrap}
        .pw-state-achieved{background:#116329}.pw-state-met{background:#2da44e}.pw-state-on_track{background:#1a7f37}
        .pw-state-at_risk{background:#9a6700}.pw-state-off_track{background:#cf222e}.pw-state-missed{background:#82071e}
        .pw-state-insufficient_data{background:#6e7781}.pw-state-stale{background:#424a53}
        .pw-stale{background:#8250df}
        table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{font-size:.8rem;color:var(--muted);font-weight:600;white-space:nowrap}.pw-num{text-align:right;font-variant-numeric:tabular-nums}
        table.pw-plan{table-layout:fixed}
        .pw-col-target{width:26%}.pw-col-state{width:13%}.pw-col-region{width:10%}.pw-col-latest{width:10%}
        .pw-col-value{width:8%}.pw-col-pace{width:9%}.pw-col-projected{width:11%}.pw-col-trend{width:13%}
        .pw-plan td{overflow:hidden}.pw-id{white-space:nowrap}
        .pw-title{color:var(--muted);font-size:.85rem}.pw-nodata{color:#6e7781;font-size:.85rem}
        .pw-missing{color:#cf222e;font-weight:600}
        .pw-scroll{overflow-x:auto;max-width:100%}
        .pw-sparkline{max-width:100%;height:auto}
        .pw-sparkline .pw-spark-line{fill:none;stroke:#0969da;stroke-width:1.5}.pw-spark-last{fill:#0969da}
        .pw-spark-target{stroke:#cf222e;stroke-dasharray:3 2;stroke-width:1}
        .pw-figure{margin:1rem 0}.pw-chart{display:block;width:100%;max-width:720px;height:auto;font-size:12px}
        .pw-grid{stroke:#eaeef2}.pw-axis{stroke:#8c959f}.pw-tick,.pw-mark-label{fill:var(--muted)}
        .pw-axis-label{fill:var(--muted);font-weight:600}
        .pw-series{fill:none;stroke:#0969da;stroke-width:2}
        .pw-reference{fill:none;stroke:#8250df;stroke-width:2;stroke-dasharray:6 3}
        .pw-target{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:6 3}
        .pw-required{fill:none;stroke:#1a7f37;stroke-width:1.5;stroke-dasharray:2 3}
        .pw-projection{fill:none;stroke:#bf8700;stroke-width:1.5;stroke-dasharray:8 4}
        .pw-reference-projection{fill:none;stroke:#6e7781;stroke-width:1.5;stroke-dasharray:8 4}
        .pw-deadline{stroke:var(--ink);stroke-width:1}.pw-today{stroke:#8c959f;stroke-width:1;stroke-dasharray:1 3}
        .pw-baseline{fill:none;stroke:#8c959f;stroke-width:1.5}
        .pw-point,.pw-legend-mark{fill:#0969da;stroke:#fff;stroke-width:1}.pw-point.pw-secondary{fill:#8250df}
        .pw-point.pw-revised{fill:#fff;stroke:#0969da;stroke-width:1.5}
        .pw-key{display:inline-block;width:1.6rem;border-top:2px solid #0969da;vertical-align:middle}
        .pw-key-required{border-top:2px dotted #1a7f37}.pw-key-projection{border-top:2px dashed #bf8700}
        .pw-key-target{border-top:2px dashed #cf222e}.pw-key-reference{border-top:2px dashed #8250df}
        figcaption{font-size:.85rem;color:var(--muted)}
        .pw-legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
        .pw-legend svg{vertical-align:middle;margin-right:.3rem}
        .pw-facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem;margin:.6rem 0}.pw-facts dt{color:var(--muted)}.pw-facts dd{margin:0}
        .pw-method dt{font-weight:600;margin-top:.6rem}.pw-method dd{margin:0 0 0 1rem;max-width:60rem}
        @media (max-width:640px){
        body{margin:.8rem auto;padding:0 .6rem}
        .pw-chart{font-size:20px}
        table.pw-plan,.pw-plan tbody,.pw-plan tr,.pw-plan td{display:block;width:100%}
        .pw-plan thead,.pw-plan colgroup{display:none}
        .pw-plan tr{border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0;padding:.3rem .5rem}
        .pw-plan td{border:0;padding:.1rem 0;text-align:left;display:flex;gap:.6rem}
        .pw-plan td[data-label]::before{content:attr(data-label);color:var(--muted);font-size:.8rem;flex:0 0 6.5rem}
        .pw-facts{grid-template-columns:minmax(0,1fr)}.pw-facts dd{margin-bottom:.3rem}
        }
        @media print{
        @page{size:A4 landscape;margin:12mm}
        body{margin:0;max-width:none;font-size:11px}.pw-nav{display:none}
        .pw-scroll{overflow:visible}
        .pw-figure,.pw-values,.pw-members,.pw-facts{break-inside:avoid}
        .pw-plan-section{break-inside:avoid-page}.pw-target-row{break-inside:avoid}
        .pw-badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        a{color:inherit;text-decoration:none}
        }

        """
}
