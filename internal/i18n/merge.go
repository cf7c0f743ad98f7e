package i18n

// merge adds a part of the catalog kept in its own file (catalog_<area>.go,
// each calling merge from an init function), so that areas of the UI can
// add their strings without editing one shared file. A key defined twice
// is a programming error, caught when the binary starts and by the tests.
func merge(part map[string]entry) {
	for k, e := range part {
		if _, dup := catalog[k]; dup {
			panic("i18n: key " + k + " is defined twice in the catalog")
		}
		catalog[k] = e
	}
}
