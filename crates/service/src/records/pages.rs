//! Reading the records page by page, in id order: the one paging loop of the export, the
//! chain's check and `records verify`.

use export_controls::Date;

use super::{Record, Store, StoreError};

/// The records of a store recorded on or after a date, read [`Pages::SIZE`] at a time in id
/// order ([`Store::page`]), each page after the last id of the one before.
pub struct Pages<'s> {
    store: &'s dyn Store,
    since: Option<Date>,
    /// The last id read (0 before the first page).
    after: i64,
    done: bool,
}

impl<'s> Pages<'s> {
    /// Records read per page.
    pub const SIZE: usize = 1000;

    /// Every record of `store` recorded on or after `since` (UTC date; all when `None`).
    pub fn new(store: &'s dyn Store, since: Option<Date>) -> Self {
        Pages { store, since, after: 0, done: false }
    }

    /// The next page (at least one record), or `None` after the last.
    ///
    /// # Errors
    /// [`StoreError`] from the store.
    pub async fn next(&mut self) -> Result<Option<Vec<Record>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let page = self.store.page(self.after, self.since, Self::SIZE).await?;
        match page.last() {
            Some(last) => {
                self.after = last.id;
                Ok(Some(page))
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}
