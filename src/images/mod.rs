//! Images (a service of the assemble stage): raster images published in a
//! few widths, so a phone does not download a 4000-pixel photo.
//!
//! A JPEG, PNG or WebP file under `content/` that a page shows (a Markdown
//! image, the `figure` shortcode) is resized once per build, at its first
//! use, to [`WIDTHS`] (never wider than it is), each copy written next to
//! the original as `<name>-<width>w.<ext>` in the same format. The page's
//! `<img>` then names them in `srcset`, with `sizes`, `width` and `height`
//! (see [`Responsive`]). The original is published as it was, so a link
//! to it keeps working. Other files (SVG, GIF) are left alone, and so is
//! an image no page shows.
//!
//! Decoding is bounded: the header's dimensions are checked against
//! [`MAX_SIDE`] and [`MAX_PIXELS`] before any pixel is decoded, and the
//! decoder runs with `image`'s [`Limits`]. A file whose content is not the
//! format its extension claims, or that does not decode, is an error the
//! caller locates at the reference (file, line, column).
//!
//! Resized copies are kept in a [`cache::Cache`] between builds, keyed by
//! a hash of the source's bytes and the settings ([`SETTINGS`]): a second
//! build reads them back instead of resizing. [`Processor::stats`] counts
//! both, for the build summary.
//!
//! This module needs nothing of the crate but diagnostics and URL helpers:
//! `markdown` names its [`Responsive`] type, `site` runs the [`Processor`].

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::Serialize;

use crate::diagnostics::Diagnostic;

pub(crate) mod cache;

/// The widths, in CSS pixels, of the resized copies: a phone, a tablet or
/// a phone at 2x, a wide screen at 2x within the text column.
pub(crate) const WIDTHS: [u32; 3] = [480, 960, 1600];

/// How wide the image is shown, for the browser to pick a width from
/// `srcset`: the theme's text column (`--measure: 44rem` in style.css,
/// less the page's padding of 1rem each side on narrow screens).
pub(crate) const SIZES: &str = "(max-width: 46rem) calc(100vw - 2rem), 44rem";

/// JPEG quality of the resized copies (PNG and WebP are lossless).
const JPEG_QUALITY: u8 = 82;

/// Everything that decides a resized copy's bytes besides the source and
/// the width: part of every cache key, so a change here (a version bump,
/// another filter or quality) makes the old entries unused.
pub(crate) const SETTINGS: &str = "v1-lanczos3-q82";

/// The longest side decoded, in pixels.
pub(crate) const MAX_SIDE: u32 = 16_384;

/// The most pixels decoded: 50 megapixels is a large camera's photo, about
/// 200 MB as RGBA in memory.
pub(crate) const MAX_PIXELS: u64 = 50_000_000;

/// What `image` may allocate while decoding one file (the decoded image
/// included), a bound on top of the dimension check.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// One resized copy as a page links it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Variant {
    /// URL (with the site's base path), percent-encoded.
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// An image as a page shows it: what templates get as `image` and what
/// the Markdown `<img>` is written from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Responsive {
    /// The original file's URL: always published, linkable.
    pub original: String,
    /// The original's size in pixels (after its EXIF orientation).
    pub original_width: u32,
    pub original_height: u32,
    /// The `src` of the `<img>`: the widest copy, or the original when it
    /// is not wider than the widest copy would be.
    pub src: String,
    /// The size of `src`: the `<img>`'s `width` and `height`.
    pub width: u32,
    pub height: u32,
    /// Every candidate, narrowest first: the resized copies, and the
    /// original when it is not wider than [`WIDTHS`]' last.
    pub candidates: Vec<Variant>,
    /// `srcset`: the candidates as `url 480w, ...`; empty when there is
    /// only one (an image no wider than the narrowest width).
    pub srcset: String,
    /// `sizes` for `srcset` ([`SIZES`]); empty without a `srcset`.
    pub sizes: String,
}

impl Responsive {
    /// The attributes after `src` and `alt` of an `<img>` of this image:
    /// ` width height srcset sizes loading decoding`, each escaped.
    /// `lazy`: the browser loads it when it comes near the screen.
    pub(crate) fn attributes(&self, lazy: bool) -> String {
        use std::fmt::Write as _;
        let mut out = format!(" width=\"{}\" height=\"{}\"", self.width, self.height);
        if !self.srcset.is_empty() {
            let _ = write!(
                out,
                " srcset=\"{}\" sizes=\"{}\"",
                crate::util::html::escape_attr(&self.srcset),
                crate::util::html::escape_attr(&self.sizes)
            );
        }
        if lazy {
            out.push_str(LAZY);
        }
        out.push_str(" decoding=\"async\"");
        out
    }
}

/// How a lazily loaded image says so; [`eager_first`] looks for it.
const LAZY: &str = " loading=\"lazy\"";

/// `html` with the first `<img>` loaded at once (its ` loading="lazy"`
/// removed): the first image of a page is often on the first screen, where
/// lazy loading only delays it.
pub(crate) fn eager_first(html: String) -> String {
    // Every page's body is searched: memchr's vectorised search, not
    // `str::find`, which is several times slower on long text.
    let Some(start) = memchr::memmem::find(html.as_bytes(), b"<img ") else {
        return html;
    };
    let end = html[start..].find('>').map_or(html.len(), |e| start + e);
    match html[start..end].find(LAZY) {
        Some(at) => {
            let at = start + at;
            let mut out = String::with_capacity(html.len());
            out.push_str(&html[..at]);
            out.push_str(&html[at + LAZY.len()..]);
            out
        }
        None => html,
    }
}

/// `html` with every image loaded at once: for print pages, which Chromium
/// prints whole.
pub(crate) fn eager_all(html: &str) -> String {
    html.replace(LAZY, "")
}

/// A problem with an image, for the caller to locate at the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageProblem {
    pub message: String,
    pub hint: String,
}

/// The formats that are resized, by extension; anything else is left as
/// it is.
fn claimed_format(rel: &str) -> Option<ImageFormat> {
    let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Gif => "GIF",
        ImageFormat::Bmp => "BMP",
        ImageFormat::Tiff => "TIFF",
        ImageFormat::Avif => "AVIF",
        ImageFormat::Ico => "ICO",
        _ => "another image format",
    }
}

fn format_ext(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        ImageFormat::Gif => "gif",
        ImageFormat::Bmp => "bmp",
        ImageFormat::Tiff => "tif",
        ImageFormat::Avif => "avif",
        _ => "…",
    }
}

/// A published raster image the processor may be asked about.
struct Entry<'a> {
    /// Where it comes from, relative to the site root (`content/x/foto.jpg`).
    source: PathBuf,
    /// Its output path (`x/foto.jpg`) and URL (`/g40/x/foto.jpg`).
    path: String,
    url: String,
    bytes: &'a [u8],
    format: ImageFormat,
    /// Worked out at the first request, shared by every later one.
    done: OnceLock<Result<Arc<Responsive>, ImageProblem>>,
}

/// A resized copy to publish.
#[derive(Debug)]
pub(crate) struct Resized {
    /// Output path, next to the original.
    pub path: String,
    /// The original's path relative to the site root (the writer shown
    /// when two files claim one output path).
    pub source: PathBuf,
    pub bytes: Vec<u8>,
}

/// How many copies a build resized and how many it read from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    pub resized: usize,
    pub cached: usize,
}

/// The images of one build: each worked out once, at its first request,
/// from any thread.
pub(crate) struct Processor<'a> {
    entries: HashMap<String, Entry<'a>>,
    cache: Option<cache::Cache>,
    resized: AtomicUsize,
    cached: AtomicUsize,
    /// The copies made so far, by output path (sorted: the output does not
    /// depend on which page asked first).
    outputs: Mutex<BTreeMap<String, Resized>>,
    warnings: Mutex<Vec<Diagnostic>>,
}

/// A published file the processor is told about: (path relative to
/// `content/`, path relative to the site root, output path, URL, bytes).
pub(crate) type Published<'a> = (String, PathBuf, String, String, &'a [u8]);

impl<'a> Processor<'a> {
    /// A processor for `files` (every published file; only JPEG, PNG and
    /// WebP ones are kept), with `cache` for the copies (`None`: every
    /// build resizes).
    pub(crate) fn new(
        files: impl IntoIterator<Item = Published<'a>>,
        cache: Option<cache::Cache>,
    ) -> Processor<'a> {
        let entries = files
            .into_iter()
            .filter_map(|(rel, source, path, url, bytes)| {
                let format = claimed_format(&rel)?;
                Some((
                    rel,
                    Entry {
                        source,
                        path,
                        url,
                        bytes,
                        format,
                        done: OnceLock::new(),
                    },
                ))
            })
            .collect();
        Processor {
            entries,
            cache,
            resized: AtomicUsize::new(0),
            cached: AtomicUsize::new(0),
            outputs: Mutex::new(BTreeMap::new()),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// The image at `rel` (relative to `content/`) as a page shows it;
    /// `None` when it is not a published JPEG, PNG or WebP file (an SVG, a
    /// missing file: the caller handles those as before).
    pub(crate) fn get(&self, rel: &str) -> Option<Result<Arc<Responsive>, ImageProblem>> {
        let entry = self.entries.get(rel)?;
        Some(entry.done.get_or_init(|| self.work_out(rel, entry)).clone())
    }

    /// How many copies were resized and read back from the cache so far.
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            resized: self.resized.load(Ordering::Relaxed),
            cached: self.cached.load(Ordering::Relaxed),
        }
    }

    /// The resized copies to publish, by output path, and the warnings
    /// (a cache that could not be written).
    pub(crate) fn finish(self) -> (Vec<Resized>, Vec<Diagnostic>, Stats) {
        let stats = self.stats();
        let mut warnings = self.warnings.into_inner().unwrap_or_default();
        if let Some(c) = &self.cache {
            warnings.extend(c.warnings());
        }
        let outputs = self.outputs.into_inner().unwrap_or_default();
        (outputs.into_values().collect(), warnings, stats)
    }

    fn work_out(&self, rel: &str, entry: &Entry) -> Result<Arc<Responsive>, ImageProblem> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let probe = probe(name, entry)?;
        let (width, height) = probe.size;
        let planned: Vec<(u32, u32)> = WIDTHS
            .iter()
            .filter(|&&w| w < width)
            .map(|&w| (w, scaled_height(width, height, w)))
            .collect();
        let key = cache::content_key(entry.bytes);
        let ext = format_ext(entry.format);
        let mut decoded: Option<DynamicImage> = None;
        let mut made: Vec<Resized> = Vec::new();
        let mut candidates = Vec::new();
        // Widest first: each copy is made from the one above it, which is
        // faster than from the original and looks the same.
        for &(w, h) in planned.iter().rev() {
            let cache_name = format!("{key}-{w}w-{SETTINGS}.{ext}");
            let bytes = match self.cache.as_ref().and_then(|c| c.get(&cache_name)) {
                Some(bytes) => {
                    self.cached.fetch_add(1, Ordering::Relaxed);
                    bytes
                }
                None => {
                    let from = match decoded.take() {
                        Some(img) => img,
                        None => decode(name, entry)?,
                    };
                    let small = from.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
                    let bytes = encode(&small, entry.format, probe.icc.clone()).map_err(|e| {
                        ImageProblem {
                            message: format!("image `{name}` could not be resized: {e}"),
                            hint: "save the image again (as JPEG, PNG or WebP) and rebuild".into(),
                        }
                    })?;
                    decoded = Some(small);
                    self.resized.fetch_add(1, Ordering::Relaxed);
                    if let Some(c) = &self.cache {
                        c.put(&cache_name, &bytes);
                    }
                    bytes
                }
            };
            let file = variant_name(name, w);
            made.push(Resized {
                path: sibling(&entry.path, &file),
                source: entry.source.clone(),
                bytes,
            });
            candidates.push(Variant {
                url: sibling(&entry.url, &crate::util::url::percent_encode(&file)),
                width: w,
                height: h,
            });
        }
        candidates.reverse();
        let widest = WIDTHS[WIDTHS.len() - 1];
        if width <= widest {
            candidates.push(Variant {
                url: entry.url.clone(),
                width,
                height,
            });
        }
        let src = candidates.last().cloned().unwrap_or(Variant {
            url: entry.url.clone(),
            width,
            height,
        });
        let srcset = if candidates.len() > 1 {
            candidates
                .iter()
                .map(|c| format!("{} {}w", c.url, c.width))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            String::new()
        };
        if let Ok(mut outputs) = self.outputs.lock() {
            for r in made {
                outputs.insert(r.path.clone(), r);
            }
        }
        Ok(Arc::new(Responsive {
            original: entry.url.clone(),
            original_width: width,
            original_height: height,
            src: src.url,
            width: src.width,
            height: src.height,
            sizes: if srcset.is_empty() {
                String::new()
            } else {
                SIZES.to_string()
            },
            srcset,
            candidates,
        }))
    }
}

/// What the header says: the size as shown (after the EXIF orientation),
/// whether that orientation swaps the sides, the colour profile.
struct Probe {
    size: (u32, u32),
    icc: Option<Vec<u8>>,
}

/// `image`'s limits: for reading the header only the allocation bound
/// (the size is checked by [`check_size`], which says what it is); for
/// decoding the sides too.
fn limits(decoding: bool) -> Limits {
    let mut limits = Limits::default();
    if decoding {
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
    }
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

/// The reader for `entry`, its content checked against the format its
/// extension claims.
fn reader<'b>(
    name: &str,
    entry: &'b Entry,
    decoding: bool,
) -> Result<ImageReader<Cursor<&'b [u8]>>, ImageProblem> {
    let claimed = format_name(entry.format);
    match image::guess_format(entry.bytes) {
        Ok(f) if f == entry.format => {}
        Ok(other) => {
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            return Err(ImageProblem {
                message: format!(
                    "image `{name}` is not a {claimed} file: its content is a {} image",
                    format_name(other)
                ),
                hint: format!(
                    "rename it to `{stem}.{}`, or save it again as {claimed}",
                    format_ext(other)
                ),
            });
        }
        Err(_) => {
            return Err(ImageProblem {
                message: format!(
                    "image `{name}` is not a {claimed} file: its content is not an image g40site can read ({} bytes)",
                    entry.bytes.len()
                ),
                hint: format!(
                    "open it in an image editor and save it again as {claimed}; JPEG, PNG and WebP are resized for the web"
                ),
            });
        }
    }
    let mut reader = ImageReader::with_format(Cursor::new(entry.bytes), entry.format);
    reader.limits(limits(decoding));
    Ok(reader)
}

fn unreadable(name: &str, claimed: &str, e: impl std::fmt::Display) -> ImageProblem {
    ImageProblem {
        message: format!("image `{name}` cannot be read as {claimed}: {e}"),
        hint: format!(
            "the file may be damaged or cut short: save it again as {claimed} from the original"
        ),
    }
}

/// Read the header only: size, orientation, colour profile. The size is
/// checked against the bounds here, before anything is decoded.
fn probe(name: &str, entry: &Entry) -> Result<Probe, ImageProblem> {
    let claimed = format_name(entry.format);
    let mut decoder = reader(name, entry, false)?
        .into_decoder()
        .map_err(|e| too_large_or(name, claimed, e))?;
    let (w, h) = decoder.dimensions();
    check_size(name, w, h)?;
    let swaps = decoder.orientation().is_ok_and(|o| {
        use image::metadata::Orientation::*;
        matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
    });
    let icc = decoder.icc_profile().ok().flatten();
    Ok(Probe {
        size: if swaps { (h, w) } else { (w, h) },
        icc,
    })
}

/// A decoder error, or, when `image`'s limits refused the file, the same
/// message as the dimension check gives.
fn too_large_or(name: &str, claimed: &str, e: image::ImageError) -> ImageProblem {
    match e {
        image::ImageError::Limits(_) => ImageProblem {
            message: format!(
                "image `{name}` is too large to resize: decoding it would need more than {} MB",
                MAX_ALLOC / (1024 * 1024)
            ),
            hint: too_large_hint(),
        },
        e => unreadable(name, claimed, e),
    }
}

fn too_large_hint() -> String {
    format!(
        "save a smaller version (at most {MAX_SIDE} pixels a side and {} megapixels; 3000 pixels wide is plenty for the web)",
        MAX_PIXELS / 1_000_000
    )
}

fn check_size(name: &str, w: u32, h: u32) -> Result<(), ImageProblem> {
    if w == 0 || h == 0 {
        return Err(ImageProblem {
            message: format!("image `{name}` is empty ({w} × {h} pixels)"),
            hint: "save the image again from the original".into(),
        });
    }
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageProblem {
            message: format!(
                "image `{name}` is {w} × {h} pixels, too large to resize within the memory bound"
            ),
            hint: too_large_hint(),
        });
    }
    Ok(())
}

/// Decode the whole image, turned upright.
fn decode(name: &str, entry: &Entry) -> Result<DynamicImage, ImageProblem> {
    let claimed = format_name(entry.format);
    let mut decoder = reader(name, entry, true)?
        .into_decoder()
        .map_err(|e| too_large_or(name, claimed, e))?;
    let orientation = decoder.orientation().ok();
    let mut img =
        DynamicImage::from_decoder(decoder).map_err(|e| too_large_or(name, claimed, e))?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(img)
}

/// `img` in `format`, with the original's colour profile.
fn encode(
    img: &DynamicImage,
    format: ImageFormat,
    icc: Option<Vec<u8>>,
) -> image::ImageResult<Vec<u8>> {
    use image::ImageEncoder as _;
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            let mut enc =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            if let Some(icc) = icc {
                let _ = enc.set_icc_profile(icc);
            }
            // JPEG has no alpha channel and 8 bits a channel.
            let img = match img.color().has_alpha() {
                true => DynamicImage::ImageRgb8(img.to_rgb8()),
                false if img.color().bytes_per_pixel() > img.color().channel_count() => {
                    DynamicImage::ImageRgb8(img.to_rgb8())
                }
                false => img.clone(),
            };
            img.write_with_encoder(enc)?;
        }
        ImageFormat::WebP => {
            let mut enc = image::codecs::webp::WebPEncoder::new_lossless(&mut out);
            if let Some(icc) = icc {
                let _ = enc.set_icc_profile(icc);
            }
            // The WebP encoder takes 8 bits a channel.
            let img = if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8())
            };
            img.write_with_encoder(enc)?;
        }
        _ => {
            let mut enc = image::codecs::png::PngEncoder::new(&mut out);
            if let Some(icc) = icc {
                let _ = enc.set_icc_profile(icc);
            }
            img.write_with_encoder(enc)?;
        }
    }
    Ok(out)
}

/// The height of a copy `w` wide of an image `width` × `height`, rounded,
/// at least 1.
fn scaled_height(width: u32, height: u32, w: u32) -> u32 {
    let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
    h.max(1) as u32
}

/// `foto.jpg` at 480 → `foto-480w.jpg`.
pub(crate) fn variant_name(name: &str, width: u32) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-{width}w.{ext}"),
        None => format!("{name}-{width}w"),
    }
}

/// `path` with its last segment replaced by `name`.
fn sibling(path: &str, name: &str) -> String {
    match path.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{name}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eager_first_removes_lazy_from_the_first_image_only() {
        let html = "<p><img src=\"a\" loading=\"lazy\" decoding=\"async\"></p><img src=\"b\" loading=\"lazy\">".to_string();
        assert_eq!(
            eager_first(html),
            "<p><img src=\"a\" decoding=\"async\"></p><img src=\"b\" loading=\"lazy\">"
        );
    }

    #[test]
    fn heights_are_rounded_and_names_keep_the_extension() {
        assert_eq!(scaled_height(2400, 1600, 480), 320);
        assert_eq!(scaled_height(1000, 333, 480), 160);
        assert_eq!(scaled_height(10_000, 1, 480), 1);
        assert_eq!(variant_name("foto.jpg", 480), "foto-480w.jpg");
        assert_eq!(
            sibling("/g40/a/foto.jpg", "foto-480w.jpg"),
            "/g40/a/foto-480w.jpg"
        );
    }

    #[test]
    fn size_bounds() {
        assert!(check_size("x.png", 16_384, 3_000).is_ok());
        assert!(check_size("x.png", 16_385, 10).is_err());
        assert!(check_size("x.png", 10_000, 10_000).is_err());
        assert!(check_size("x.png", 0, 10).is_err());
    }
}
