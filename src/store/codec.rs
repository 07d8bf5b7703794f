//! The one place where records become bytes and back.
//!
//! Values are encoded with postcard (compact, maintained, not self-describing) inside an
//! envelope that redb knows by a fixed type name per record type, so opening a table with the
//! wrong type fails loudly instead of reading garbage. A record that does not decode is an
//! error naming the table, never a panic: the file is the user's, and it may be damaged.
//!
//! This module must not know about tables, transactions or the domain's rules.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use redb::{TypeName, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A type stored in a table, with the name redb records for it. Never change a name: the
/// schema version and a migration are the way to change a stored type.
pub trait Record: Serialize + DeserializeOwned {
    const TYPE_NAME: &'static str;
}

/// Why a record could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
#[error("record of type {type_name} could not be {action}: {source}")]
pub struct CodecError {
    pub type_name: &'static str,
    pub action: &'static str,
    #[source]
    pub source: postcard::Error,
}

/// The table value type for records of type `T`.
pub struct Rec<T>(PhantomData<T>);

impl<T> fmt::Debug for Rec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Rec")
    }
}

/// The encoded bytes of one record, as written to a table or read from one (then borrowed
/// from the page, not copied).
pub struct Encoded<'a, T> {
    bytes: Cow<'a, [u8]>,
    _type: PhantomData<T>,
}

impl<T> fmt::Debug for Encoded<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Encoded({} bytes)", self.bytes.len())
    }
}

impl<T: Record> Encoded<'static, T> {
    pub fn encode(value: &T) -> Result<Self, CodecError> {
        let bytes = postcard::to_stdvec(value).map_err(|source| CodecError {
            type_name: T::TYPE_NAME,
            action: "encoded",
            source,
        })?;
        Ok(Encoded {
            bytes: Cow::Owned(bytes),
            _type: PhantomData,
        })
    }
}

impl<T: Record> Encoded<'static, T> {
    /// Bytes encoded elsewhere (a migration's test writes a record in an older form).
    #[cfg(test)]
    pub(crate) fn from_bytes_owned(bytes: Vec<u8>) -> Self {
        Encoded {
            bytes: Cow::Owned(bytes),
            _type: PhantomData,
        }
    }
}

impl<T: Record> Encoded<'_, T> {
    pub fn decode(&self) -> Result<T, CodecError> {
        postcard::from_bytes(&self.bytes).map_err(|source| CodecError {
            type_name: T::TYPE_NAME,
            action: "decoded",
            source,
        })
    }

    /// Decodes the record as `U`, a type with `T`'s layout whose text borrows from these
    /// bytes (such as `ChildSummary<&str>` for `ChildSummary`): no copies of the text.
    pub fn decode_borrowed<'b, U: serde::Deserialize<'b>>(&'b self) -> Result<U, CodecError> {
        postcard::from_bytes(&self.bytes).map_err(|source| CodecError {
            type_name: T::TYPE_NAME,
            action: "decoded",
            source,
        })
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl<T: Record> Value for Rec<T> {
    type SelfType<'a>
        = Encoded<'a, T>
    where
        Self: 'a;
    type AsBytes<'a>
        = &'a [u8]
    where
        Self: 'a;

    fn fixed_width() -> Option<usize> {
        None
    }

    fn from_bytes<'a>(data: &'a [u8]) -> Encoded<'a, T>
    where
        Self: 'a,
    {
        Encoded {
            bytes: Cow::Borrowed(data),
            _type: PhantomData,
        }
    }

    fn as_bytes<'a, 'b: 'a>(value: &'a Encoded<'b, T>) -> &'a [u8]
    where
        Self: 'b,
    {
        &value.bytes
    }

    fn type_name() -> TypeName {
        TypeName::new(T::TYPE_NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        name: String,
        n: u32,
    }
    impl Record for Sample {
        const TYPE_NAME: &'static str = "guanai.test.Sample";
    }

    #[test]
    fn round_trip_and_damaged_bytes() {
        let s = Sample {
            name: "张小珠".into(),
            n: 7,
        };
        let e = Encoded::encode(&s).unwrap();
        let back = <Rec<Sample> as Value>::from_bytes(<Rec<Sample> as Value>::as_bytes(&e));
        assert_eq!(back.decode().unwrap(), s);
        let broken = <Rec<Sample> as Value>::from_bytes(&[0xff, 0xff]);
        let err = broken.decode().unwrap_err();
        assert!(err.to_string().contains("guanai.test.Sample"), "{err}");
    }
}
