fn main() {
    println!("gradbook");
}
