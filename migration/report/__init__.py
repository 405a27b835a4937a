"""The architect's report: one offline HTML document, a Markdown summary and CSV/XLSX exports.

Everything here reads a finished plan (plus previews and guardrail findings) and renders it;
nothing decides anything. `write.write_report` writes all four files; the modules beside it
each render one view (charts, dependency graph, NCSC matrix, tables). See docs/report.md.
"""
