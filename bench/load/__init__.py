"""Load benchmarks (``python -m bench.load SCENARIO``): scenarios in ``__main__``, a simulated browser in
``client``, the servers in ``servers``, the measured run and its table in ``run``, bad wifi in ``netns``."""
