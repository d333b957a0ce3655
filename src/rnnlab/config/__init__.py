"""rnnlab's config: a typed schema per config group (Hydra structured configs), the checks
that run before anything is built, and the conversion of a composed config into them.

Importing this package registers the schemas with Hydra, so conf/ composes against them.
Nothing here imports torch or Lightning: Hydra reads the config before either loads.
"""

from rnnlab.config.store import register_configs

register_configs()
