//! String enums for JS whose strings are written once, beside their variants. The process record
//! (process.rs) keeps a load's source and verification as text, shared with copies of this addon
//! built from other versions; reading them back needs every variant, so `parse` and `as_str` are
//! derived from the one list instead of kept by hand.

macro_rules! string_enum {
    ($(#[doc = $doc:literal])* pub enum $name:ident {
        $($(#[doc = $vdoc:literal])* $variant:ident = $text:literal,)+
    }) => {
        $(#[doc = $doc])*
        #[napi_derive::napi(string_enum)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($(#[doc = $vdoc])* #[napi(value = $text)] $variant,)+
        }

        impl $name {
            /// Every variant, from the same list (for tests).
            #[cfg(test)]
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use string_enum;

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod tests;
