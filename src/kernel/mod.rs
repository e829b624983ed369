//! `gradbook kernel`: a Jupyter kernel (messaging protocol 5.3 over ZeroMQ, HMAC-SHA256
//! signed), so JupyterLab, Notebook, VS Code and nbclient run lesson notebooks with gradbook.
//!
//! Two threads: this one runs the sockets on a single-threaded tokio runtime (heartbeat echo,
//! iopub publisher, control and stdin tasks, and the shell loop, which handles one request at
//! a time as IPython's kernel does); the interpreter thread (`worker`) owns the `Notebook`.
//! Interrupts (`interrupt_request` or SIGINT) set the interpreter's interrupt flag, so a
//! running cell raises `KeyboardInterrupt` and the session keeps its state. Messages with a bad
//! signature are logged to stderr and dropped, never executed. Like the session layer, the
//! kernel never touches the terminal.

mod connection;
mod html;
pub mod install;
mod shell;
pub mod wire;
pub mod worker;

use connection::Connection;
use serde_json::{Value, json};
use std::path::Path;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use wire::{Message, Signer};
use zeromq::{
    PubSocket, RepSocket, RouterRecvHalf, RouterSendHalf, RouterSocket, Socket, SocketRecv,
    SocketSend, ZmqMessage,
};

/// Runs the kernel until a `shutdown_request`.
pub fn run(connection_file: &Path) -> Result<(), String> {
    let conn = Connection::read(connection_file)?;
    // SIGINT (Jupyter's default interrupt) interrupts the running cell, not the kernel.
    let _ = ctrlc::set_handler(crate::eval::request_interrupt);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the event loop: {e}"))?;
    runtime.block_on(serve(conn))
}

/// What every task needs to send messages.
#[derive(Clone)]
pub struct Outbox {
    pub signer: Signer,
    /// This kernel's session id (in every header it sends).
    pub session: String,
    iopub: UnboundedSender<Message>,
}

impl Outbox {
    /// Publishes `msg_type` on iopub with `parent` as the parent header.
    pub fn publish(&self, parent: &Message, msg_type: &str, content: Value) {
        let mut msg = wire::reply(parent, &self.session, msg_type, content);
        msg.identities = vec![format!("kernel.{}.{msg_type}", self.session).into_bytes()];
        let _ = self.iopub.send(msg);
    }

    pub fn status(&self, parent: &Message, state: &str) {
        self.publish(parent, "status", json!({"execution_state": state}));
    }

    /// Sends a reply on a ROUTER socket to the request's sender. A sender that went away is
    /// logged; the kernel carries on.
    pub async fn send(
        &self,
        socket: &mut RouterSendHalf,
        parent: &Message,
        msg_type: &str,
        content: Value,
    ) {
        let msg = wire::reply(parent, &self.session, msg_type, content);
        send_frames(socket, self.signer.encode(&msg)).await;
    }
}

pub(crate) async fn send_frames(socket: &mut RouterSendHalf, frames: Vec<Vec<u8>>) {
    if let Some(msg) = to_zmq(frames)
        && let Err(e) = socket.send(msg).await
    {
        log(&format!("could not send a message: {e}"));
    }
}

fn to_zmq(frames: Vec<Vec<u8>>) -> Option<ZmqMessage> {
    ZmqMessage::try_from(
        frames
            .into_iter()
            .map(bytes::Bytes::from)
            .collect::<Vec<_>>(),
    )
    .ok()
}

fn from_zmq(msg: ZmqMessage) -> Vec<Vec<u8>> {
    msg.into_vec().into_iter().map(|b| b.to_vec()).collect()
}

/// The kernel's log: stderr, which Jupyter shows in its server log.
pub fn log(text: &str) {
    eprintln!("gradbook kernel: {text}");
}

/// Receives the next well-formed, correctly signed message on a socket; anything else is
/// logged and dropped. None when the socket is closed.
pub(crate) async fn next_message(
    socket: &mut RouterRecvHalf,
    signer: &Signer,
    channel: &str,
) -> Option<Message> {
    loop {
        let frames = match socket.recv().await {
            Ok(m) => from_zmq(m),
            Err(zeromq::ZmqError::NoMessage) => return None,
            Err(e) => {
                log(&format!("{channel}: receive failed: {e}"));
                continue;
            }
        };
        match signer.decode(frames) {
            Ok(msg) => return Some(msg),
            Err(e) => log(&format!(
                "{channel}: rejected a message ({e}); not executed"
            )),
        }
    }
}

/// The `kernel_info_reply` content.
pub fn kernel_info() -> Value {
    let version = env!("CARGO_PKG_VERSION");
    json!({
        "status": "ok",
        "protocol_version": wire::PROTOCOL_VERSION,
        "implementation": "gradbook",
        "implementation_version": version,
        "language_info": {
            "name": "python",
            "version": "3.11",
            "mimetype": "text/x-python",
            "file_extension": ".py",
            "pygments_lexer": "ipython3",
            "codemirror_mode": {"name": "ipython", "version": 3},
            "nbconvert_exporter": "python",
        },
        "banner": format!(
            "gradbook {version}: PyTorch autograd lessons, printed as PyTorch prints them, without Python"
        ),
        "help_links": [],
        "debugger": false,
    })
}

async fn serve(conn: Connection) -> Result<(), String> {
    let signer = Signer::new(&conn.key);
    let endpoint = |port: u16| format!("{}://{}:{port}", conn.transport, conn.ip);
    let bind_err = |name: &str, e: zeromq::ZmqError| format!("cannot bind the {name} socket: {e}");

    let mut heartbeat = RepSocket::new();
    heartbeat
        .bind(&endpoint(conn.hb_port))
        .await
        .map_err(|e| bind_err("heartbeat", e))?;
    let mut iopub = PubSocket::new();
    iopub
        .bind(&endpoint(conn.iopub_port))
        .await
        .map_err(|e| bind_err("iopub", e))?;
    let mut shell = RouterSocket::new();
    shell
        .bind(&endpoint(conn.shell_port))
        .await
        .map_err(|e| bind_err("shell", e))?;
    let mut control = RouterSocket::new();
    control
        .bind(&endpoint(conn.control_port))
        .await
        .map_err(|e| bind_err("control", e))?;
    let mut stdin = RouterSocket::new();
    stdin
        .bind(&endpoint(conn.stdin_port))
        .await
        .map_err(|e| bind_err("stdin", e))?;

    tokio::spawn(async move {
        // Echo whatever comes in: the front end's liveness check.
        while let Ok(m) = heartbeat.recv().await {
            if heartbeat.send(m).await.is_err() {
                log("heartbeat: could not echo");
            }
        }
    });

    let (iopub_tx, iopub_rx) = mpsc::unbounded_channel::<Message>();
    let outbox = Outbox {
        signer: signer.clone(),
        session: uuid::Uuid::new_v4().to_string(),
        iopub: iopub_tx,
    };
    tokio::spawn(publish(iopub, iopub_rx, signer.clone()));

    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let jobs = worker::spawn(events_tx)?;

    let (control_tx, control_rx) = control.split();
    tokio::spawn(control_loop(control_tx, control_rx, outbox.clone()));

    let (stdin_tx, mut stdin_rx) = stdin.split();
    let (answers_tx, answers_rx) = mpsc::unbounded_channel::<Message>();
    let stdin_signer = signer.clone();
    tokio::spawn(async move {
        while let Some(msg) = next_message(&mut stdin_rx, &stdin_signer, "stdin").await {
            if msg.msg_type() == "input_reply" {
                let _ = answers_tx.send(msg);
            }
        }
    });

    let (shell_tx, shell_rx) = shell.split();
    let mut shell = shell::Shell {
        outbox,
        socket: shell_tx,
        stdin: stdin_tx,
        answers: answers_rx,
        events: events_rx,
        jobs,
        history: Vec::new(),
        pending: Default::default(),
    };
    shell.run(shell_rx).await;
    Ok(())
}

/// The iopub publisher: the one owner of the PUB socket.
async fn publish(mut socket: PubSocket, mut rx: UnboundedReceiver<Message>, signer: Signer) {
    while let Some(msg) = rx.recv().await {
        if let Some(m) = to_zmq(signer.encode(&msg))
            && socket.send(m).await.is_err()
        {
            log("iopub: could not publish");
        }
    }
}

/// The control channel: served while a cell runs, so interrupts and shutdowns get through.
async fn control_loop(mut tx: RouterSendHalf, mut rx: RouterRecvHalf, outbox: Outbox) {
    while let Some(msg) = next_message(&mut rx, &outbox.signer, "control").await {
        outbox.status(&msg, "busy");
        match msg.msg_type() {
            "kernel_info_request" => {
                outbox
                    .send(&mut tx, &msg, "kernel_info_reply", kernel_info())
                    .await
            }
            "interrupt_request" => {
                crate::eval::request_interrupt();
                outbox
                    .send(&mut tx, &msg, "interrupt_reply", json!({"status": "ok"}))
                    .await;
            }
            "shutdown_request" => shutdown(&outbox, &mut tx, &msg).await,
            other => {
                let reply = other.replace("_request", "_reply");
                outbox
                    .send(
                        &mut tx,
                        &msg,
                        &reply,
                        json!({"status": "error", "ename": "NotImplementedError",
                               "evalue": format!("gradbook has no {other}"), "traceback": []}),
                    )
                    .await;
            }
        }
        outbox.status(&msg, "idle");
    }
}

/// Replies to a shutdown (or restart: the front end then starts a fresh process) and exits.
pub(crate) async fn shutdown(outbox: &Outbox, tx: &mut RouterSendHalf, msg: &Message) {
    let restart = msg
        .content
        .get("restart")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    outbox
        .send(
            tx,
            msg,
            "shutdown_reply",
            json!({"status": "ok", "restart": restart}),
        )
        .await;
    outbox.status(msg, "idle");
    // Let the reply and the status leave before the process ends.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    std::process::exit(0);
}
