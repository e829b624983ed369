//! The shell channel: one request at a time, each between `status: busy` and `status: idle`
//! on iopub. `execute_request` runs on the interpreter thread while this loop forwards what
//! the cell shows (display data, `clear_output`, `input()` prompts and their answers).

use super::wire::Message;
use super::worker::{Event, Executed, Job};
use super::{Outbox, log, next_message};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::oneshot;
use zeromq::{RouterRecvHalf, RouterSendHalf};

pub struct Shell {
    pub outbox: Outbox,
    pub socket: RouterSendHalf,
    pub stdin: RouterSendHalf,
    pub answers: UnboundedReceiver<Message>,
    pub events: UnboundedReceiver<Event>,
    pub jobs: mpsc::Sender<Job>,
    /// (execution count, code) of every stored cell, for `history_request`.
    pub history: Vec<(usize, String)>,
    /// Requests read while aborting after an error, to handle next.
    pub pending: VecDeque<Message>,
}

impl Shell {
    pub async fn run(&mut self, mut rx: RouterRecvHalf) {
        loop {
            let msg = match self.pending.pop_front() {
                Some(m) => m,
                None => match next_message(&mut rx, &self.outbox.signer, "shell").await {
                    Some(m) => m,
                    None => return,
                },
            };
            self.outbox.status(&msg, "busy");
            self.handle(&msg, &mut rx).await;
            self.outbox.status(&msg, "idle");
        }
    }

    /// The requests already queued, read to the end of the queue.
    async fn drain(&mut self, rx: &mut RouterRecvHalf) -> Vec<Message> {
        let signer = self.outbox.signer.clone();
        let mut queued = Vec::new();
        while let Ok(Some(msg)) =
            tokio::time::timeout(Duration::from_millis(2), next_message(rx, &signer, "shell")).await
        {
            queued.push(msg);
        }
        queued
    }

    /// After an error with `stop_on_error`, the execute requests that were queued before its
    /// reply went out are answered `aborted` without running (what IPython's kernel does);
    /// other requests wait their turn.
    async fn abort(&mut self, queued: Vec<Message>) {
        for msg in queued {
            if msg.msg_type() == "execute_request" {
                self.outbox.status(&msg, "busy");
                let count = self.history.last().map_or(0, |(n, _)| *n);
                self.reply(
                    &msg,
                    "execute_reply",
                    json!({"status": "aborted", "execution_count": count}),
                )
                .await;
                self.outbox.status(&msg, "idle");
            } else {
                self.pending.push_back(msg);
            }
        }
    }

    async fn reply(&mut self, msg: &Message, msg_type: &str, content: Value) {
        self.outbox
            .send(&mut self.socket, msg, msg_type, content)
            .await;
    }

    /// Handles one request.
    async fn handle(&mut self, msg: &Message, rx: &mut RouterRecvHalf) {
        let content = &msg.content;
        let text = |k: &str| {
            content
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let cursor = content
            .get("cursor_pos")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |c| c as usize);
        match msg.msg_type() {
            "kernel_info_request" => {
                self.reply(msg, "kernel_info_reply", super::kernel_info())
                    .await
            }
            "execute_request" => self.execute(msg, rx).await,
            "complete_request" => {
                let code = text("code");
                let cursor = cursor.min(code.chars().count());
                let reply = self
                    .ask(|reply| Job::Complete {
                        code,
                        cursor,
                        reply,
                    })
                    .await;
                self.reply(msg, "complete_reply", reply).await
            }
            "inspect_request" => {
                let code = text("code");
                let cursor = cursor.min(code.chars().count());
                let reply = self
                    .ask(|reply| Job::Inspect {
                        code,
                        cursor,
                        reply,
                    })
                    .await;
                self.reply(msg, "inspect_reply", reply).await
            }
            "is_complete_request" => {
                let code = text("code");
                let reply = self.ask(|reply| Job::IsComplete { code, reply }).await;
                self.reply(msg, "is_complete_reply", reply).await
            }
            "history_request" => {
                let reply = self.history_reply(content);
                self.reply(msg, "history_reply", reply).await
            }
            "comm_info_request" => {
                self.reply(msg, "comm_info_reply", json!({"status": "ok", "comms": {}}))
                    .await
            }
            "shutdown_request" => super::shutdown(&self.outbox, &mut self.socket, msg).await,
            other => log(&format!("shell: ignored a {other}")),
        }
    }

    /// Sends a job to the interpreter and waits for its reply content.
    async fn ask(&mut self, job: impl FnOnce(oneshot::Sender<Value>) -> Job) -> Value {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(job(tx)).is_err() {
            return json!({"status": "error", "ename": "RuntimeError",
                          "evalue": "the interpreter thread has stopped", "traceback": []});
        }
        rx.await.unwrap_or_else(|_| {
            json!({"status": "error", "ename": "RuntimeError",
                   "evalue": "the interpreter thread has stopped", "traceback": []})
        })
    }

    async fn execute(&mut self, msg: &Message, queue: &mut RouterRecvHalf) {
        let content = &msg.content;
        let flag =
            |k: &str, default: bool| content.get(k).and_then(Value::as_bool).unwrap_or(default);
        let code = content
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let silent = flag("silent", false);
        let store_history = flag("store_history", !silent) && !silent;
        let stop_on_error = flag("stop_on_error", true);
        let allow_stdin = flag("allow_stdin", true);
        let (tx, mut rx) = oneshot::channel::<Executed>();
        let job = Job::Execute {
            code: code.clone(),
            silent,
            allow_stdin,
            reply: tx,
        };
        if self.jobs.send(job).is_err() {
            log("the interpreter thread has stopped");
            return;
        }
        let mut answer: Option<mpsc::Sender<String>> = None;
        let done = loop {
            tokio::select! {
                biased;
                Some(event) = self.events.recv() => {
                    self.forward(msg, event, silent, &mut answer).await;
                }
                Some(reply) = self.answers.recv() => {
                    let value = reply.content.get("value").and_then(Value::as_str).unwrap_or("");
                    if let Some(a) = answer.take() {
                        let _ = a.send(value.to_string());
                    }
                }
                done = &mut rx => break done,
            }
        };
        while let Ok(event) = self.events.try_recv() {
            self.forward(msg, event, silent, &mut answer).await;
        }
        let Ok(done) = done else {
            log("the interpreter thread has stopped");
            return;
        };
        let count = done.execution_count;
        if store_history {
            self.history.push((count, code));
        }
        let out = &done.output;
        if !silent {
            if !out.stdout.is_empty() {
                self.outbox
                    .publish(msg, "stream", json!({"name": "stdout", "text": out.stdout}));
            }
            if let Some(repr) = &out.value {
                let mut data = json!({"text/plain": repr});
                if let Some(html) = &done.html {
                    data["text/html"] = json!(html);
                }
                self.outbox.publish(
                    msg,
                    "execute_result",
                    json!({"execution_count": count, "data": data, "metadata": {}}),
                );
            }
        }
        match &out.error {
            None => {
                let payload = match &done.page {
                    Some(text) => {
                        json!([{"source": "page", "data": {"text/plain": text}, "start": 0}])
                    }
                    None => json!([]),
                };
                self.reply(
                    msg,
                    "execute_reply",
                    json!({"status": "ok", "execution_count": count, "payload": payload,
                           "user_expressions": {}}),
                )
                .await;
            }
            Some(err) => {
                let error = json!({"ename": err.kind.name(), "evalue": err.msg,
                                   "traceback": done.traceback});
                if !silent {
                    self.outbox.publish(msg, "error", error.clone());
                }
                let mut reply = error;
                reply["status"] = json!("error");
                reply["execution_count"] = json!(count);
                let queued = if stop_on_error {
                    self.drain(queue).await
                } else {
                    Vec::new()
                };
                self.reply(msg, "execute_reply", reply).await;
                self.abort(queued).await;
            }
        }
    }

    async fn forward(
        &mut self,
        msg: &Message,
        event: Event,
        silent: bool,
        answer: &mut Option<mpsc::Sender<String>>,
    ) {
        match event {
            Event::Started(count) => {
                let code = msg.content.get("code").cloned().unwrap_or(json!(""));
                self.outbox.publish(
                    msg,
                    "execute_input",
                    json!({"code": code, "execution_count": count}),
                )
            }
            Event::Stream(text) if !silent => {
                self.outbox
                    .publish(msg, "stream", json!({"name": "stdout", "text": text}))
            }
            Event::Stderr(text) if !silent => {
                self.outbox
                    .publish(msg, "stream", json!({"name": "stderr", "text": text}))
            }
            Event::Display(data) if !silent => self.outbox.publish(
                msg,
                "display_data",
                json!({"data": data, "metadata": {}, "transient": {}}),
            ),
            Event::ClearOutput { wait } if !silent => {
                self.outbox
                    .publish(msg, "clear_output", json!({"wait": wait}))
            }
            Event::Input { prompt, answer: a } => {
                *answer = Some(a);
                let request = super::wire::reply(
                    msg,
                    &self.outbox.session,
                    "input_request",
                    json!({"prompt": prompt, "password": false}),
                );
                super::send_frames(&mut self.stdin, self.outbox.signer.encode(&request)).await;
            }
            _ => {}
        }
    }

    fn history_reply(&self, content: &Value) -> Value {
        let get = |k: &str| content.get(k);
        let n = get("n").and_then(Value::as_u64).unwrap_or(10) as usize;
        let output = get("output").and_then(Value::as_bool).unwrap_or(false);
        let item = |(count, code): &(usize, String)| {
            if output {
                json!([0, count, [code, Value::Null]])
            } else {
                json!([0, count, code])
            }
        };
        let items: Vec<Value> = match get("hist_access_type").and_then(Value::as_str) {
            Some("range") => {
                let start = get("start").and_then(Value::as_u64).unwrap_or(0) as usize;
                let stop = get("stop")
                    .and_then(Value::as_u64)
                    .map_or(usize::MAX, |s| s as usize);
                self.history
                    .iter()
                    .filter(|(c, _)| *c >= start && *c < stop)
                    .map(item)
                    .collect()
            }
            Some("search") => {
                let pattern = get("pattern").and_then(Value::as_str).unwrap_or("*");
                let unique = get("unique").and_then(Value::as_bool).unwrap_or(false);
                let mut seen = std::collections::BTreeSet::new();
                let found: Vec<&(usize, String)> = self
                    .history
                    .iter()
                    .filter(|(_, code)| glob(pattern, code))
                    .filter(|(_, code)| !unique || seen.insert(code.clone()))
                    .collect();
                let skip = found.len().saturating_sub(n);
                found.into_iter().skip(skip).map(item).collect()
            }
            _ => {
                let skip = self.history.len().saturating_sub(n);
                self.history.iter().skip(skip).map(item).collect()
            }
        };
        json!({"status": "ok", "history": items})
    }
}

/// Shell-style `*` and `?` matching of the whole text, as IPython's history search uses.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // matches[j]: p[..i] matches t[..j].
    let mut matches = vec![false; t.len() + 1];
    matches[0] = true;
    for &pc in &p {
        let mut next = vec![false; t.len() + 1];
        if pc == '*' {
            let mut any = false;
            for j in 0..=t.len() {
                any |= matches[j];
                next[j] = any;
            }
        } else {
            for j in 1..=t.len() {
                next[j] = matches[j - 1] && (pc == '?' || pc == t[j - 1]);
            }
        }
        matches = next;
    }
    matches[t.len()]
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_patterns() {
        assert!(glob("*", "anything"));
        assert!(glob("a*1", "a = 1"));
        assert!(glob("?=*", "x=2"));
        assert!(!glob("a*1", "a = 2"));
        assert!(glob("", ""));
        assert!(!glob("", "x"));
    }
}
