"""`untilgreen serve`: runs and evals over HTTP and a web page, for a team's CI, bots and browsers.

Imported only by that command (Starlette and uvicorn come with the `serve` extra). Runs go to `untilgreen worker`
subprocesses exactly as the language server's do; their typed events are streamed back as server-sent events.
"""
