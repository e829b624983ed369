"""nbclient runs the lesson notebooks recorded under real PyTorch (sessions/notebooks/) end to end
with the gradbook kernel; every cell's outputs must equal the recorded ones."""
import copy
import glob
import os
import unittest

import nbformat
from nbclient import NotebookClient

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "sessions", "notebooks", "*.ipynb")))


def shown(cell):
    """A cell's outputs as a reader sees them: consecutive stream text joined, text/plain of
    results and displays, errors as (ename, evalue). Tracebacks are left out: IPython's are
    ANSI-coloured Python frames."""
    out = []
    for o in cell.get("outputs", []):
        kind = o["output_type"]
        if kind == "stream":
            if out and out[-1][0] == "stream" and out[-1][1] == o["name"]:
                out[-1] = ("stream", o["name"], out[-1][2] + o["text"])
            else:
                out.append(("stream", o["name"], o["text"]))
        elif kind in ("execute_result", "display_data"):
            out.append((kind, o["data"].get("text/plain")))
        elif kind == "error":
            out.append(("error", o["ename"], o["evalue"]))
    return out


class LessonNotebooks(unittest.TestCase):
    def test_there_are_lesson_notebooks(self):
        self.assertEqual(len(NOTEBOOKS), 4, NOTEBOOKS)

    def test_lessons_replay_as_recorded(self):
        for path in NOTEBOOKS:
            with self.subTest(notebook=os.path.basename(path)):
                recorded = nbformat.read(path, as_version=4)
                nb = copy.deepcopy(recorded)
                for cell in nb.cells:
                    if cell.cell_type == "code":
                        cell.outputs = []
                        cell.execution_count = None
                NotebookClient(nb, kernel_name="gradbook", allow_errors=True, timeout=300).execute()
                cells = [(a, b) for a, b in zip(recorded.cells, nb.cells) if a.cell_type == "code"]
                self.assertGreater(len(cells), 0)
                for i, (want, got) in enumerate(cells, 1):
                    self.assertEqual(shown(got), shown(want), f"cell {i}:\n{want.source}")
                    self.assertEqual(got.execution_count, want.execution_count)


if __name__ == "__main__":
    unittest.main()
