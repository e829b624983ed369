//! Lexing (logos), indentation, parsing to an AST with spans. (Owned by the language work.)
