//! The closest candidate to a name that matched nothing: the Content-ID a
//! `cid:` reference probably meant, the lint code an `allow` misspelt.

/// The candidate nearest to `target` by edit distance, if it is near enough
/// to be a plausible slip: at most a third of the longer name changed, or
/// one name the other with something added (`logo` and `logo@acme`).
pub(crate) fn closest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter(|candidate| *candidate != target)
        .map(|candidate| (distance(target, candidate), candidate))
        .filter(|&(distance, candidate)| {
            let longer = target.chars().count().max(candidate.chars().count());
            distance * 3 <= longer || plausible_extension(target, candidate)
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

fn plausible_extension(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 3 && long.to_lowercase().contains(&short.to_lowercase())
}

/// Levenshtein distance, in characters, ignoring case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_a_near_miss_and_refuses_a_stranger() {
        assert_eq!(closest("logo", ["banner", "logo@acme"]), Some("logo@acme"));
        assert_eq!(closest("dangling-cids", ["gmail-clip", "dangling-cid"]), Some("dangling-cid"));
        assert_eq!(closest("Logo.png", ["logo.png"]), Some("logo.png"));
        assert_eq!(closest("header", ["banner", "footer-image"]), None);
        assert_eq!(closest("x", std::iter::empty()), None);
    }
}
