"""The kernel against jupyter_kernel_test, the standard conformance suite, every sample filled."""
import unittest

import jupyter_kernel_test as jkt


class GradbookKernelTests(jkt.KernelTests):
    kernel_name = "gradbook"
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys\n_ = sys.stderr.write('gradient went missing\\n')"
    completion_samples = [
        {"text": "zi", "matches": {"zip"}},
        {"text": "torch.zeros_l", "matches": {"zeros_like"}},
    ]
    complete_code_samples = ["1 + 1", "x = torch.ones(2)", "def f(x):\n    return x\n\n"]
    incomplete_code_samples = ["for i in range(3):", "x = (1,", "def f(x):"]
    invalid_code_samples = ["1 +* 2", "x = )"]
    code_page_something = "torch.exp?"
    code_generate_error = "raise ValueError('no gradient')"
    code_execute_result = [
        {"code": "1 + 2 + 3", "result": "6"},
        {"code": "torch.tensor([1.0, 2.0]) * 2", "result": "tensor([2., 4.])"},
    ]
    code_display_data = [
        {"code": "display(torch.ones(2))", "mime": "text/plain"},
    ]
    code_history_pattern = "1 + 2*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "torch.autograd.grad"
    code_clear_output = "clear_output()"


if __name__ == "__main__":
    unittest.main()
