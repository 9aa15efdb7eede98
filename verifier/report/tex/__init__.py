"""LaTeX for the teaching formats, one job a module.

`symbols` Unicode as LaTeX · `escape` prose for text mode · `safe` the math allowlist, names, steps ·
`prose` prose with `$…$` math · `scan` math-like spans in plain prose · `where` the "where" paragraph ·
`width` a width estimate for layout.
"""
