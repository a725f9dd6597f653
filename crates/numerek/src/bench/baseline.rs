//! The machine's own limits, measured in the same run: how many `fdatasync`s a second the disk
//! under the data directory does, and how fast the server answers its most trivial route.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Writes 4 KiB and `fdatasync`s it, again and again, for `duration`; answers syncs per second.
pub fn fsync_rate(dir: &Path, duration: Duration) -> anyhow::Result<f64> {
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = vec![0x5a_u8; 4096];
    let started = Instant::now();
    let mut syncs = 0u64;
    while started.elapsed() < duration {
        file.write_all(&block)?;
        file.sync_data()?;
        syncs += 1;
    }
    let rate = syncs as f64 / started.elapsed().as_secs_f64();
    drop(file);
    let _ = std::fs::remove_file(&path);
    Ok(rate)
}
