//! Writing a formatted file back over the one it came from, as the user's own edit would:
//! never where they could not write it themselves, never over a change made since it was
//! read, and keeping its permissions, owner, group and hard links.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written back.
#[derive(Debug)]
pub enum Refusal {
    /// The file's permissions say nobody may write it.
    ReadOnly,
    /// The user running `fmt` may not write it.
    NotWritable(std::io::Error),
    /// The file on disk is no longer what was read and formatted.
    ChangedMeanwhile,
    /// Reading, writing or renaming failed.
    Io(std::io::Error),
}

impl Refusal {
    /// Whether the user can put it right (the file is refused) or something failed.
    pub fn is_users_to_fix(&self) -> bool {
        !matches!(self, Refusal::Io(_))
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::ReadOnly => write!(
                f,
                "it is read-only; make it writable (`chmod u+w`) if you mean it to be formatted"
            ),
            Refusal::NotWritable(e) => write!(
                f,
                "you may not write it ({e}); format it as its owner, or ask them to"
            ),
            Refusal::ChangedMeanwhile => write!(
                f,
                "it changed while it was being formatted (another program or an editor wrote it); run `orgspec fmt` on it again"
            ),
            Refusal::Io(e) => write!(f, "it could not be written ({e})"),
        }
    }
}

impl From<std::io::Error> for Refusal {
    fn from(e: std::io::Error) -> Self {
        Refusal::Io(e)
    }
}

/// Replace the contents of `path` (which held `original` when it was read) with `bytes`.
///
/// A file with one name, whose owner and group the new file can be given, is replaced
/// atomically: a temporary file beside it is written, flushed, given the original's
/// permissions, owner and group, and renamed over it, so an interruption leaves either the
/// old file or the new one. A file with other hard links, or whose owner or group cannot be
/// given to a new file, is written in place instead, so that it stays the same file. A
/// symbolic link is followed, not replaced.
pub fn write_back(path: &Path, original: &[u8], bytes: &[u8]) -> Result<(), Refusal> {
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    if metadata.permissions().readonly() {
        return Err(Refusal::ReadOnly);
    }
    // Opening it for writing (without truncating) asks the system whether this user may.
    let mut in_place = match std::fs::OpenOptions::new().write(true).open(&target) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(Refusal::NotWritable(e))
        }
        Err(e) => return Err(Refusal::Io(e)),
    };
    if let Some(temp) = replacement(&target, &metadata, bytes)? {
        unchanged_since(&target, original)?;
        temp.persist(&target).map_err(|e| Refusal::Io(e.error))?;
        return Ok(());
    }
    unchanged_since(&target, original)?;
    in_place.set_len(0)?;
    in_place.write_all(bytes)?;
    in_place.sync_all()?;
    Ok(())
}

/// The file holds what was read: nothing wrote it while it was being formatted.
fn unchanged_since(target: &Path, original: &[u8]) -> Result<(), Refusal> {
    if std::fs::read(target)? == original {
        Ok(())
    } else {
        Err(Refusal::ChangedMeanwhile)
    }
}

/// A temporary file beside `target` holding `bytes`, with the target's permissions, owner
/// and group, ready to be renamed over it; `None` when renaming would not keep the file
/// what it is (other hard links, or an owner or group this user cannot give).
fn replacement(
    target: &Path,
    metadata: &std::fs::Metadata,
    bytes: &[u8],
) -> Result<Option<tempfile::NamedTempFile>, Refusal> {
    if has_other_links(metadata) {
        return Ok(None);
    }
    let folder: PathBuf = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut temp = match tempfile::Builder::new()
        .prefix(".orgspec-fmt-")
        .suffix(".tmp")
        .tempfile_in(&folder)
    {
        Ok(temp) => temp,
        // A folder the user may not write: the file itself may still be writable.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => return Ok(None),
        Err(e) => return Err(Refusal::Io(e)),
    };
    if !same_owner(temp.as_file(), metadata) {
        return Ok(None);
    }
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(metadata.permissions())?;
    Ok(Some(temp))
}

#[cfg(unix)]
fn has_other_links(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_links(_: &std::fs::Metadata) -> bool {
    false
}

/// Give the new file the original's owner and group; false if this user cannot.
#[cfg(unix)]
fn same_owner(file: &std::fs::File, metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(mine) = file.metadata() else {
        return false;
    };
    if mine.uid() == metadata.uid() && mine.gid() == metadata.gid() {
        return true;
    }
    std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid())).is_ok()
}

#[cfg(not(unix))]
fn same_owner(_: &std::fs::File, _: &std::fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.org");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn a_change_made_while_formatting_is_kept_and_the_write_refused() {
        let (_dir, path) = file_with("org a \"A\"{kind council}\n");
        let original = std::fs::read(&path).unwrap();
        // An editor appends a line after `fmt` read the file.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"org b \"B\" { kind council }\n").unwrap();
        let outcome = write_back(&path, &original, b"org a \"A\" { kind council }\n");
        assert!(
            matches!(outcome, Err(Refusal::ChangedMeanwhile)),
            "{outcome:?}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "org a \"A\"{kind council}\norg b \"B\" { kind council }\n"
        );
    }

    #[test]
    fn an_unchanged_file_is_replaced() {
        let (dir, path) = file_with("org a \"A\"{kind council}\n");
        let original = std::fs::read(&path).unwrap();
        write_back(&path, &original, b"org a \"A\" { kind council }\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "org a \"A\" { kind council }\n"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[cfg(unix)]
    #[test]
    fn a_hard_linked_file_stays_one_file() {
        use std::os::unix::fs::MetadataExt;
        let (dir, path) = file_with("org a \"A\"{kind council}\n");
        let other = dir.path().join("b.org");
        std::fs::hard_link(&path, &other).unwrap();
        let original = std::fs::read(&path).unwrap();
        write_back(&path, &original, b"org a \"A\" { kind council }\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&other).unwrap(),
            "org a \"A\" { kind council }\n"
        );
        let (a, b) = (
            std::fs::metadata(&path).unwrap(),
            std::fs::metadata(&other).unwrap(),
        );
        assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    }
}
