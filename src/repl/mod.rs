//! The interactive terminal: rustyline, colour. The only terminal code. (Owned by the REPL work.)
