# torch.func.functional_call and stack_module_state (torch/_functorch/functional_call.py):
# the module's parameters and buffers are swapped for the given tensors during the call
# (tied names share one tensor), then restored.

__all__ = ["functional_call", "stack_module_state"]


def _swap(module, name, value):
    parts = name.split(".")
    for p in parts[:-1]:
        module = getattr(module, p)
    leaf = parts[-1]
    d = module.__dict__
    for reg in ("_parameters", "_buffers"):
        r = d[reg]
        if leaf in r:
            old = r[leaf]
            r[leaf] = value
            object.__setattr__(module, leaf, value)
            return (module, reg, leaf, old)
    old = getattr(module, leaf)
    object.__setattr__(module, leaf, value)
    return (module, None, leaf, old)


def _restore(saved):
    module, reg, leaf, old = saved
    if reg is not None:
        module.__dict__[reg][leaf] = old
    object.__setattr__(module, leaf, old)


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, tie_weights=True, strict=False):
    if isinstance(parameter_and_buffer_dicts, (list, tuple)):
        merged = {}
        for d in parameter_and_buffer_dicts:
            for k, v in d.items():
                if k in merged:
                    raise ValueError(str(k) + " appeared in multiple dictionaries; behavior of functional call is ambiguous")
                merged[k] = v
    else:
        merged = parameter_and_buffer_dicts
    if args is None:
        args = ()
    if not isinstance(args, tuple):
        args = (args,)
    if kwargs is None:
        kwargs = {}
    replacements = dict(merged.items())
    if tie_weights:
        # Names of one tensor reached by several paths (tied weights) take the given value.
        by_id = {}
        for n, t in list(module.named_parameters(remove_duplicate=False)) + list(module.named_buffers(remove_duplicate=False)):
            by_id.setdefault(id(t), []).append(n)
        for names in by_id.values():
            given = [n for n in names if n in replacements]
            if given:
                for n in names:
                    if n not in replacements:
                        replacements[n] = replacements[given[0]]
    if strict:
        expected = set([n for n, _ in module.named_parameters(remove_duplicate=False)] + [n for n, _ in module.named_buffers(remove_duplicate=False)])
        missing = sorted([n for n in expected if n not in replacements])
        unexpected = sorted([n for n in replacements if n not in expected])
        if missing or unexpected:
            msgs = []
            if unexpected:
                msgs.append("Unexpected key(s): " + ", ".join([repr(k) for k in unexpected]) + ".")
            if missing:
                msgs.append("Missing key(s): " + ", ".join([repr(k) for k in missing]) + ".")
            raise RuntimeError("Error(s) in reparametrizing for " + type(module).__name__ + ":\n\t" + "\n\t".join(msgs))
    saved = []
    try:
        for name, value in replacements.items():
            saved.append(_swap(module, name, value))
        return module(*args, **kwargs)
    finally:
        for s in reversed(saved):
            _restore(s)


def stack_module_state(models):
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same training/eval mode.")
    model0_typ = type(models[0])
    if not all(type(m) == model0_typ for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    params = {}
    for k, _ in models[0].named_parameters():
        params[k] = torch.stack([dict(m.named_parameters())[k] for m in models]).detach().requires_grad_(True)
    buffers = {}
    for k, _ in models[0].named_buffers():
        buffers[k] = torch.stack([dict(m.named_buffers())[k] for m in models])
    return params, buffers
