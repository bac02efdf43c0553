"""The router."""

from .paths import normalize
from .patterns import compile_pattern


class NotFound(LookupError):
    pass


class Router:
    def __init__(self):
        self._routes = []

    def add(self, method, pattern, handler):
        regex, converters = compile_pattern(pattern)
        self._routes.append((method.upper(), regex, converters, handler))

    def route(self, method, pattern):
        def decorator(handler):
            self.add(method, pattern, handler)
            return handler
        return decorator

    def resolve(self, method, raw_path):
        path = normalize(raw_path)
        for route_method, regex, converters, handler in self._routes:
            match = regex.match(path)
            if match and route_method == method.upper():
                return handler, {k: converters[k](v) for k, v in match.groupdict().items()}
        raise NotFound(f"{method} {path}")

    def dispatch(self, method, raw_path):
        handler, params = self.resolve(method, raw_path)
        return handler(**params)
