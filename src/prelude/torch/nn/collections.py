# The minimum of collections.OrderedDict that state_dict needs (the standard module may later
# provide the full one), and load_state_dict's _IncompatibleKeys.

__all__ = []


class OrderedDict:
    def __init__(self, items=None, **kwargs):
        self._d = {}
        if items is not None:
            if hasattr(items, "items"):
                items = items.items()
            for k, v in items:
                self._d[k] = v
        for k, v in kwargs.items():
            self._d[k] = v

    def __getitem__(self, key):
        return self._d[key]

    def __setitem__(self, key, value):
        self._d[key] = value

    def __delitem__(self, key):
        del self._d[key]

    def __contains__(self, key):
        return key in self._d

    def __len__(self):
        return len(self._d)

    def __iter__(self):
        return iter(list(self._d.keys()))

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            return list(self._d.items()) == list(other._d.items())
        return self._d == other

    def keys(self):
        return self._d.keys()

    def values(self):
        return self._d.values()

    def items(self):
        return self._d.items()

    def get(self, key, default=None):
        return self._d.get(key, default)

    def pop(self, key, *default):
        return self._d.pop(key, *default)

    def copy(self):
        return OrderedDict(self._d.items())

    def update(self, other=(), **kwargs):
        if hasattr(other, "items"):
            other = other.items()
        for k, v in other:
            self._d[k] = v
        for k, v in kwargs.items():
            self._d[k] = v

    def __repr__(self):
        if not self._d:
            return "OrderedDict()"
        return "OrderedDict(" + repr(list(self._d.items())) + ")"


class _IncompatibleKeys:
    def __init__(self, missing_keys, unexpected_keys):
        self.missing_keys = missing_keys
        self.unexpected_keys = unexpected_keys

    def __iter__(self):
        return iter([self.missing_keys, self.unexpected_keys])

    def __getitem__(self, i):
        return [self.missing_keys, self.unexpected_keys][i]

    def __len__(self):
        return 2

    def __eq__(self, other):
        return list(self) == list(other)

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return "_IncompatibleKeys(missing_keys=" + repr(self.missing_keys) + ", unexpected_keys=" + repr(self.unexpected_keys) + ")"
