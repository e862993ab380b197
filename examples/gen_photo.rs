//! Draws the example site's sample photo, reproducibly: a made-up
//! skyline of gabled houses on a canal at dusk, with the grain of a real
//! photo, 2400 × 1600 pixels, as JPEG.
//!
//! ```sh
//! cargo run --example gen_photo -- content/jaarverslag/2023/stadsgezicht.jpg
//! cargo run --example gen_photo -- /tmp/photos 100   # 100 photos for bench/images.sh
//! ```
//!
//! With a folder and a count it writes that many different photos
//! (`foto-001.jpg`, ...: the drawing in other colours, every other one
//! mirrored), for the image benchmark (`bench/images.sh`). No randomness from the
//! system: the same arguments give the same bytes.

use image::{Rgb, RgbImage};

/// A small deterministic generator (xorshift64*), so the output does not
/// depend on a crate's or the system's randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A float in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn lerp(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn draw(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let w = width as f32;
    let h = height as f32;
    let horizon = h * 0.62;
    // The houses: left edge, width, height of the wall, gable height, colour.
    let mut houses = Vec::new();
    let mut x = -20.0f32;
    while x < w {
        let hw = w * (0.035 + 0.03 * rng.unit());
        let wall = h * (0.16 + 0.14 * rng.unit());
        let gable = hw * (0.4 + 0.5 * rng.unit());
        let tone = 0.25 + 0.35 * rng.unit();
        let colour = [tone * 160.0 + 40.0, tone * 90.0 + 25.0, tone * 70.0 + 20.0];
        houses.push((x, hw, wall, gable, colour));
        x += hw + w * 0.002;
    }
    // Windows: lit or not, per house and row.
    let lit: Vec<u64> = houses.iter().map(|_| rng.next()).collect();
    let sun = (w * (0.25 + 0.5 * rng.unit()), horizon - h * 0.12);
    // Houses do not overlap: which one stands at each column, looked up
    // once instead of for every pixel.
    let mut at_column: Vec<Option<usize>> = vec![None; width as usize];
    for (i, &(hx, hw, ..)) in houses.iter().enumerate() {
        for (x, slot) in at_column.iter_mut().enumerate() {
            let fx = x as f32;
            if fx >= hx && fx < hx + hw {
                *slot = Some(i);
            }
        }
    }
    let mut img = RgbImage::new(width, height);
    for (px, py, pixel) in img.enumerate_pixels_mut() {
        let (fx, fy) = (px as f32, py as f32);
        let mut c;
        if fy < horizon {
            // Sky: deep blue above, orange near the horizon, the sun's glow.
            let t = (fy / horizon).powf(1.6);
            c = lerp([38.0, 62.0, 120.0], [246.0, 160.0, 90.0], t);
            let d = ((fx - sun.0).powi(2) + (fy - sun.1).powi(2)).sqrt() / h;
            let glow = (-d * 9.0).exp();
            c = lerp(c, [255.0, 230.0, 170.0], glow.min(1.0));
            if d < 0.035 {
                c = [255.0, 240.0, 200.0];
            }
        } else {
            // The canal: the sky mirrored, darker, with ripples.
            let mirror = horizon - (fy - horizon);
            let t = (mirror.max(0.0) / horizon).powf(1.6);
            c = lerp([30.0, 45.0, 80.0], [170.0, 110.0, 70.0], t);
            let ripple = ((fy * 0.35).sin() * (fx * 0.02 + fy * 0.05).sin()) * 12.0;
            c = [c[0] + ripple, c[1] + ripple, c[2] + ripple];
        }
        // Houses stand on the quay just above the water.
        if let Some(i) = at_column[px as usize] {
            let (hx, hw, wall, gable, colour) = houses[i];
            let base = horizon;
            let top = base - wall;
            let mid = hx + hw / 2.0;
            let roof = top - gable * (1.0 - (fx - mid).abs() / (hw / 2.0));
            if fy >= roof && fy < base {
                c = colour;
                // Windows in a grid on the wall.
                let col = ((fx - hx) / hw * 3.0) as u64;
                let row = ((fy - top) / (wall / 5.0)) as i64;
                let in_x = ((fx - hx) / hw * 3.0).fract();
                let in_y = ((fy - top) / (wall / 5.0)).fract();
                if fy > top && (0.25..0.75).contains(&in_x) && (0.2..0.7).contains(&in_y) && row < 4
                {
                    let on = (lit[i] >> ((row as u64 * 3 + col) % 60)) & 1 == 1;
                    c = if on {
                        [250.0, 205.0, 120.0]
                    } else {
                        [35.0, 40.0, 55.0]
                    };
                }
            }
            // Their reflection in the water, faint.
            let depth = fy - base;
            if depth >= 0.0 && depth < wall * 0.8 {
                c = lerp(c, [colour[0] * 0.6, colour[1] * 0.6, colour[2] * 0.7], 0.5);
            }
        }
        // Grain, and a vignette, as a camera gives.
        let grain = (rng.unit() - 0.5) * 14.0;
        let dx = fx / w - 0.5;
        let dy = fy / h - 0.5;
        let vignette = 1.0 - 0.35 * (dx * dx + dy * dy);
        *pixel = Rgb(c.map(|v| ((v + grain) * vignette).clamp(0.0, 255.0) as u8));
    }
    img
}

fn save(img: &RgbImage, path: &std::path::Path) {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(img)
        .expect("encodes");
    std::fs::write(path, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [file] => save(&draw(2400, 1600, 2023), std::path::Path::new(file)),
        [dir, count] => {
            let n: u64 = count.parse().expect("a count");
            std::fs::create_dir_all(dir).expect("the folder");
            // One drawing (slow unoptimised), then each photo a different
            // colour of it, mirrored every other one (fast: `image` is
            // optimised in every profile): different bytes, so each is
            // resized on its own.
            let base = draw(2400, 1600, 2023);
            for i in 1..=n {
                let path = std::path::Path::new(dir).join(format!("foto-{i:03}.jpg"));
                let mut photo = image::imageops::huerotate(&base, (i * 7 % 360) as i32);
                if i % 2 == 0 {
                    image::imageops::flip_horizontal_in_place(&mut photo);
                }
                save(&photo, &path);
            }
        }
        _ => {
            eprintln!("usage: gen_photo FILE.jpg | gen_photo FOLDER COUNT");
            std::process::exit(2);
        }
    }
}
