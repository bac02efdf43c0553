"""All flags of an application, loaded from a dict (e.g. parsed JSON)."""

from .flag import Flag


class Registry:
    def __init__(self):
        self._flags = {}

    @classmethod
    def from_config(cls, config):
        registry = cls()
        for name, spec in config.items():
            registry._flags[name] = Flag(
                name=name,
                percent=int(spec.get("percent", 0)),
                allow=set(spec.get("allow", [])),
                block=set(spec.get("block", [])),
                killed=bool(spec.get("killed", False)),
            )
        return registry

    def is_enabled(self, name, user_id):
        flag = self._flags.get(name)
        return flag is not None and flag.enabled_for(user_id)

    def enabled_flags(self, user_id):
        return sorted(n for n, f in self._flags.items() if f.enabled_for(user_id))
