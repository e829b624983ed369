//! `.session` transcripts: parse, render, replay, check. (Owned by the session work.)
