"""The gradbook kernel under jupyter_client: input(), interrupts, restart, and bad input (a
message with a bad signature, a client that disconnects mid-cell)."""
import os
import tempfile
import time
import unittest

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 60


def execute(kc, code, **kw):
    """Runs code; (reply content, iopub messages of this request up to idle)."""
    msg_id = kc.execute(code, **kw)
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                break
            continue
        outputs.append(msg)
    return reply["content"], outputs


def result_text(outputs):
    for m in outputs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None


class KernelBehaviour(unittest.TestCase):
    def setUp(self):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.km = KernelManager(kernel_name="gradbook")
        self.km.start_kernel(stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()
        os.unlink(self.log.name)

    def kernel_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def test_state_counts_and_pretty_results(self):
        reply, _ = execute(self.kc, "x = torch.tensor([1.0, 2.0], requires_grad=True)")
        self.assertEqual(reply["status"], "ok")
        first = reply["execution_count"]
        reply, out = execute(self.kc, "(x * 2).sum()")
        self.assertEqual(reply["execution_count"], first + 1)
        self.assertEqual(result_text(out), "tensor(6., grad_fn=<SumBackward0>)")
        html = [m for m in out if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/html"]
        self.assertIn(">tensor(6., grad_fn=&lt;SumBackward0&gt;)</pre>", html)
        self.assertIn("requires_grad=True · grad_fn=SumBackward0", html)
        # A silent cell takes no number and shows nothing, but its state stays.
        reply, out = execute(self.kc, "y = 41", silent=True)
        self.assertEqual(out, [])
        reply, out = execute(self.kc, "y + 1")
        self.assertEqual(reply["execution_count"], first + 2)
        self.assertEqual(result_text(out), "42")

    def test_errors_stop_queued_cells(self):
        bad = self.kc.execute("1 / 0")
        queued = self.kc.execute("z = 1")
        replies = {}
        while len(replies) < 2:
            m = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[m["parent_header"]["msg_id"]] = m["content"]
        self.assertEqual(replies[bad]["status"], "error")
        self.assertEqual(replies[bad]["ename"], "ZeroDivisionError")
        self.assertEqual(replies[bad]["traceback"][-1], "ZeroDivisionError: division by zero")
        self.assertEqual(replies[queued]["status"], "aborted")
        reply, out = execute(self.kc, "z")
        self.assertEqual(reply["ename"], "NameError")
        # stop_on_error=False lets the next cell run.
        reply, _ = execute(self.kc, "1 / 0", stop_on_error=False)
        self.assertEqual(reply["status"], "error")

    def test_input_request(self):
        msg_id = self.kc.execute("name = input('Who? ')\nprint('hi', name)", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(request["msg_type"], "input_request")
        self.assertEqual(request["content"]["prompt"], "Who? ")
        self.assertEqual(request["parent_header"]["msg_id"], msg_id)
        self.kc.input("Ada")
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        reply, out = execute(self.kc, "name")
        self.assertEqual(result_text(out), "'Ada'")

    def test_interrupt_by_message_and_by_signal(self):
        for how in ("message", "signal"):
            with self.subTest(how=how):
                msg_id = self.kc.execute("i = 0\nwhile True:\n    i += 1")
                time.sleep(1.0)
                if how == "message":
                    request = self.kc.session.msg("interrupt_request", {})
                    self.kc.control_channel.send(request)
                    reply = self.kc.control_channel.get_msg(timeout=TIMEOUT)
                    self.assertEqual(reply["msg_type"], "interrupt_reply")
                else:
                    self.km.interrupt_kernel()  # SIGINT, as the kernelspec asks
                reply = self.kc.get_shell_msg(timeout=TIMEOUT)
                self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
                self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
                # The session keeps its state.
                reply, out = execute(self.kc, "i > 0")
                self.assertEqual(result_text(out), "True")

    def test_restart_gives_a_fresh_session(self):
        execute(self.kc, "kept = 1")
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        reply, _ = execute(self.kc, "kept")
        self.assertEqual(reply["ename"], "NameError")
        self.assertEqual(reply["execution_count"], 1)

    def test_bad_signature_is_rejected_logged_and_never_run(self):
        forged = Session(key=b"not-the-key", session=self.kc.session.session)
        forged.send(self.kc.shell_channel.socket, "execute_request",
                    {"code": "forged = 1", "silent": False, "store_history": True,
                     "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        unsigned = Session(key=b"", session=self.kc.session.session)
        unsigned.send(self.kc.shell_channel.socket, "execute_request",
                      {"code": "forged = 2", "silent": False, "store_history": True,
                       "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        reply, _ = execute(self.kc, "forged")
        self.assertEqual(reply["ename"], "NameError")
        deadline = time.time() + 10
        while self.kernel_log().count("rejected a message (bad signature)") < 2:
            self.assertLess(time.time(), deadline, self.kernel_log())
            time.sleep(0.1)

    def test_client_disconnecting_mid_cell(self):
        self.kc.execute("n = 0\nfor k in range(200000):\n    n += 1\nn")
        time.sleep(0.5)
        self.kc.stop_channels()  # the front end goes away while the cell runs
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.assertTrue(self.km.is_alive())
        reply, out = execute(self.kc, "n")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(result_text(out), "200000")


if __name__ == "__main__":
    unittest.main()
