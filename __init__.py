"""policygraph: a knowledge graph of industrial-policy actors from news and press releases."""
__version__ = "0.1.0"
