"""Each host's objects, made the way the host itself makes them, on every supported release:
what the plugin's demo data (tests/demo.py), its tests and the toolkit's fixtures share. The
modules import the host only inside their functions; they need nothing but the host and Django,
so the install check can run them inside a production host that has no toolkit installed."""
