#!/usr/bin/env python3
"""Record the bundled lessons as Jupyter notebooks under real PyTorch.

usage: python record_notebooks.py GRADBOOK OUT_DIR LESSON.session...

Each lesson is converted to a notebook without outputs by `gradbook convert` (its header becomes
a markdown cell), then run top to bottom by nbclient under IPython's own kernel (ipykernel) in
the Python environment running this script, which must have torch, ipykernel and nbclient.
Like the oracle, nothing is seeded beyond what the lesson does itself. The executed notebook,
with the outputs real PyTorch produced, is written to OUT_DIR/NAME.ipynb; `gradbook check`
must pass it unchanged.
"""
import os
import subprocess
import sys
import tempfile

import nbformat
from nbclient import NotebookClient


def main():
    gradbook, out_dir, lessons = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    for lesson in lessons:
        name = os.path.splitext(os.path.basename(lesson))[0]
        with tempfile.TemporaryDirectory() as tmp:
            blank = os.path.join(tmp, name + ".ipynb")
            subprocess.run([gradbook, "convert", lesson, blank], check=True)
            nb = nbformat.read(blank, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        # IPython's kernel from this environment, whatever kernelspecs are installed.
        nb.metadata["kernelspec"] = {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        }
        NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=600).execute()
        out = os.path.join(out_dir, name + ".ipynb")
        nbformat.write(nb, out)
        print(f"recorded {out}")


if __name__ == "__main__":
    main()
