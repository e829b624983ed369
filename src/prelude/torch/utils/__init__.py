# torch.utils: a package; torch.utils.data is its submodule.
