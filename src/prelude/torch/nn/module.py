# torch.nn.Module, as torch/nn/modules/module.py defines it. Parameters, buffers and submodules
# live in _parameters/_buffers/_modules (the registries every method walks) and are mirrored
# into the instance __dict__, so reading `self.weight` is a plain attribute hit instead of a
# __getattr__ call (a training loop reads them thousands of times).

import torch

__all__ = ["Module", "Parameter"]

Parameter = torch.nn.Parameter
_object_setattr = object.__setattr__
_object_delattr = object.__delattr__

_TENSOR_TYPES = {
    torch.float32: "torch.FloatTensor",
    torch.float64: "torch.DoubleTensor",
    torch.int64: "torch.LongTensor",
    torch.int32: "torch.IntTensor",
    torch.bool: "torch.BoolTensor",
}


def _typename(value):
    # torch.typename: the tensor type, or the class's module and qualified name.
    if isinstance(value, torch.Tensor):
        return _TENSOR_TYPES[value.dtype]
    cls = type(value)
    known = _PRELUDE_CLASSES.get(cls.__name__)
    if known is not None and known[0] is cls:
        return known[1] + "." + cls.__name__
    module = getattr(cls, "__module__", "")
    if module in ("", "builtins", "__main__") or module is None:
        return cls.__qualname__ if module != "__main__" else "__main__." + cls.__qualname__
    return module + "." + cls.__qualname__


# name -> (class, PyTorch's module of it), filled at the end of the prelude (for torch.typename).
_PRELUDE_CLASSES = {}


def _addindent(s_, num_spaces):
    s = s_.split("\n")
    if len(s) == 1:
        return s_
    first = s.pop(0)
    s = [(num_spaces * " ") + line for line in s]
    return first + "\n" + "\n".join(s)


class _RemovableHandle:
    def __init__(self, hooks, key):
        self._hooks = hooks
        self.id = key

    def remove(self):
        if self.id in self._hooks:
            del self._hooks[self.id]


_hook_ids = [0]


def _next_hook_id():
    _hook_ids[0] += 1
    return _hook_ids[0]


class Module:
    training = True

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            name = type(self).__name__
            if kwargs:
                raise TypeError(name + ".__init__() got an unexpected keyword argument '" + list(kwargs.keys())[0] + "'")
            raise TypeError(name + ".__init__() takes 1 positional argument but " + str(len(args) + 1) + " were given")
        _object_setattr(self, "training", True)
        _object_setattr(self, "_parameters", {})
        _object_setattr(self, "_buffers", {})
        _object_setattr(self, "_non_persistent_buffers_set", set())
        _object_setattr(self, "_modules", {})
        _object_setattr(self, "_forward_hooks", {})
        _object_setattr(self, "_forward_pre_hooks", {})

    def forward(self, *input):
        raise NotImplementedError('Module [' + type(self).__name__ + '] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        if self._forward_pre_hooks or self._forward_hooks:
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    def _call_with_hooks(self, args, kwargs):
        for hook in list(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                if not isinstance(result, tuple):
                    result = (result,)
                args = result
        result = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            hook_result = hook(self, args, result)
            if hook_result is not None:
                result = hook_result
        return result

    def register_forward_pre_hook(self, hook):
        key = _next_hook_id()
        self._forward_pre_hooks[key] = hook
        return _RemovableHandle(self._forward_pre_hooks, key)

    def register_forward_hook(self, hook):
        key = _next_hook_id()
        self._forward_hooks[key] = hook
        return _RemovableHandle(self._forward_hooks, key)

    # --- registration -------------------------------------------------------------------

    def _check_name(self, kind, name):
        if not isinstance(name, str):
            raise TypeError(kind + " name should be a string. Got " + type(name).__name__)
        if "." in name:
            raise KeyError(kind + ' name can\'t contain ".", got: ' + name)
        if name == "":
            raise KeyError(kind + ' name can\'t be empty string ""')

    def register_buffer(self, name, tensor, persistent=True):
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name("buffer", name)
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError("attribute '" + name + "' already exists")
        if tensor is not None and not isinstance(tensor, torch.Tensor):
            raise TypeError("cannot assign '" + _typename(tensor) + "' object to buffer '" + name + "' (torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)
        _object_setattr(self, name, tensor)

    def register_parameter(self, name, param):
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name("parameter", name)
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError("attribute '" + name + "' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError("cannot assign '" + _typename(param) + "' object to parameter '" + name + "' (torch.nn.Parameter or None required)")
        if param is not None and param.grad_fn is not None:
            raise ValueError("Cannot assign non-leaf Tensor to parameter '" + name + "'. Model parameters must be created explicitly. To express '" + name + "' as a function of another Tensor, compute the value in the forward() method.")
        self._parameters[name] = param
        _object_setattr(self, name, param)

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(_typename(module) + " is not a Module subclass")
        self._check_name("module", name)
        if hasattr(self, name) and name not in self._modules:
            raise KeyError("attribute '" + name + "' already exists")
        self._modules[name] = module
        _object_setattr(self, name, module)

    def register_module(self, name, module):
        self.add_module(name, module)

    def _forget(self, name):
        d = self.__dict__
        for reg in ("_parameters", "_buffers", "_modules"):
            r = d.get(reg)
            if r is not None and name in r:
                del r[name]
        s = d.get("_non_persistent_buffers_set")
        if s is not None:
            s.discard(name)

    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name)
            if name in d:
                _object_delattr(self, name)
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError("cannot assign '" + _typename(value) + "' as parameter '" + name + "' (torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name)
            modules[name] = value
            _object_setattr(self, name, value)
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError("cannot assign '" + _typename(value) + "' as child module '" + name + "' (torch.nn.Module or None expected)")
            modules[name] = value
            _object_setattr(self, name, value)
            return
        buffers = d.get("_buffers")
        if buffers is not None and name in buffers:
            if value is not None and not isinstance(value, torch.Tensor):
                raise TypeError("cannot assign '" + _typename(value) + "' as buffer '" + name + "' (torch.Tensor or None expected)")
            buffers[name] = value
        _object_setattr(self, name, value)

    def __getattr__(self, name):
        raise AttributeError("'" + type(self).__name__ + "' object has no attribute '" + name + "'")

    def __delattr__(self, name):
        self._forget(name)
        _object_delattr(self, name)

    # --- traversal ----------------------------------------------------------------------

    def _named_members(self, kind, prefix, recurse, remove_duplicate=True):
        out = []
        seen = set()
        if recurse:
            mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            mods = [(prefix, self)]
        for module_prefix, module in mods:
            for k, v in module.__dict__[kind].items():
                if v is None:
                    continue
                if remove_duplicate:
                    if id(v) in seen:
                        continue
                    seen.add(id(v))
                name = module_prefix + ("." if module_prefix else "") + k
                out.append((name, v))
        return out

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        return iter(self._named_members("_parameters", prefix, recurse, remove_duplicate))

    def parameters(self, recurse=True):
        return iter([p for _, p in self._named_members("_parameters", "", recurse)])

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        return iter(self._named_members("_buffers", prefix, recurse, remove_duplicate))

    def buffers(self, recurse=True):
        return iter([b for _, b in self._named_members("_buffers", "", recurse)])

    def named_children(self):
        out = []
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                out.append((name, module))
        return iter(out)

    def children(self):
        return iter([m for _, m in self.named_children()])

    def _collect_modules(self, memo, prefix, remove_duplicate, out):
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        out.append((prefix, self))
        for name, module in self._modules.items():
            if module is None:
                continue
            module._collect_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate, out)

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        out = []
        self._collect_modules(set() if memo is None else memo, prefix, remove_duplicate, out)
        return iter(out)

    def modules(self):
        return iter([m for _, m in self.named_modules()])

    def get_submodule(self, target):
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if item not in mod._modules:
                raise AttributeError(type(mod).__name__ + " has no attribute `" + item + "`")
            mod = mod._modules[item]
        return mod

    def get_parameter(self, target):
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if name not in mod._parameters:
            raise AttributeError(type(mod).__name__ + " has no attribute `" + name + "`")
        return mod._parameters[name]

    # --- modes and gradients ------------------------------------------------------------

    def train(self, mode=True):
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for m in self.modules():
            _object_setattr(m, "training", mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad = torch.zeros_like(p.grad)

    def apply(self, fn):
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def _apply(self, fn):
        for module in self.children():
            module._apply(fn)
        for key, param in self._parameters.items():
            if param is not None:
                with torch.no_grad():
                    param.data = fn(param.data)
                if param.grad is not None:
                    param.grad = fn(param.grad)
        for key, buf in self._buffers.items():
            if buf is not None:
                new = fn(buf)
                self._buffers[key] = new
                _object_setattr(self, key, new)
        return self

    def to(self, *args, **kwargs):
        dtype = kwargs.get("dtype")
        for a in args:
            if isinstance(a, torch.dtype):
                dtype = a
            elif isinstance(a, torch.Tensor):
                dtype = a.dtype
        if dtype is None:
            return self
        if not dtype.is_floating_point:
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=" + str(dtype))
        return self._apply(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def double(self):
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def float(self):
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def cpu(self):
        return self

    def type(self, dst_type):
        return self._apply(lambda t: t.to(dst_type))

    # --- state ---------------------------------------------------------------------------

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()

    def state_dict(self, destination=None, prefix="", keep_vars=False):
        if destination is None:
            destination = OrderedDict()
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
        return destination

    def _load_from_state_dict(self, state_dict, prefix, strict, missing_keys, unexpected_keys, error_msgs):
        local = []
        for k, v in self._parameters.items():
            if v is not None:
                local.append((k, v))
        for k, v in self._buffers.items():
            if v is not None and k not in self._non_persistent_buffers_set:
                local.append((k, v))
        for name, param in local:
            key = prefix + name
            if key in state_dict:
                input_param = state_dict[key]
                if not isinstance(input_param, torch.Tensor):
                    error_msgs.append('While copying the parameter named "' + key + '", expected torch.Tensor or Tensor-like object from checkpoint but received ' + str(type(input_param)))
                    continue
                if input_param.shape != param.shape:
                    error_msgs.append("size mismatch for " + key + ": copying a param with shape " + str(input_param.shape) + " from checkpoint, the shape in current model is " + str(param.shape) + ".")
                    continue
                with torch.no_grad():
                    param.copy_(input_param)
            elif strict:
                missing_keys.append(key)
        if strict:
            for key in state_dict.keys():
                if key.startswith(prefix):
                    input_name = key[len(prefix):].split(".", 1)
                    if input_name[0] not in self._modules and input_name[0] not in dict(local):
                        unexpected_keys.append(key)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        if not hasattr(state_dict, "keys"):
            raise TypeError("Expected state_dict to be dict-like, got " + str(type(state_dict)) + ".")
        missing_keys = []
        unexpected_keys = []
        error_msgs = []

        def load(module, prefix=""):
            module._load_from_state_dict(state_dict, prefix, True, missing_keys, unexpected_keys, error_msgs)
            for name, child in module._modules.items():
                if child is not None:
                    load(child, prefix + name + ".")

        load(self)
        if strict:
            if len(unexpected_keys) > 0:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: " + ", ".join(['"' + k + '"' for k in unexpected_keys]) + ". ")
            if len(missing_keys) > 0:
                error_msgs.insert(0, "Missing key(s) in state_dict: " + ", ".join(['"' + k + '"' for k in missing_keys]) + ". ")
        if len(error_msgs) > 0:
            raise RuntimeError("Error(s) in loading state_dict for " + type(self).__name__ + ":\n\t" + "\n\t".join(error_msgs))
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    # --- text ----------------------------------------------------------------------------

    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        return ""

    def __repr__(self):
        extra_lines = []
        extra_repr = self.extra_repr()
        if extra_repr:
            extra_lines = extra_repr.split("\n")
        child_lines = []
        for key, module in self._modules.items():
            mod_str = _addindent(repr(module), 2)
            child_lines.append("(" + key + "): " + mod_str)
        lines = extra_lines + child_lines
        main_str = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main_str += extra_lines[0]
            else:
                main_str += "\n  " + "\n  ".join(lines) + "\n"
        return main_str + ")"

    def __dir__(self):
        keys = dir(type(self)) + list(self.__dict__.keys())
        return sorted(set([k for k in keys if not k[0].isdigit()]))
