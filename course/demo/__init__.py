"""Demo data, apart from the product's rules: synthetic learners and the demo command's service.

`synthetic` draws plausible journeys (pure, from a random source passed in); `service` inserts
them with the demo accounts and cohort. The engine never imports this package; `cli.py` does.
"""
