package ui

import (
	"reflect"
	"strings"

	"huajie/internal/pii"
)

// maskValue masks personal data in every string reachable from ptr (a
// pointer to a struct, slice or map of them), in place, the way the API
// masks its JSON: phone and ID-card fields by their format, identifiers
// left alone, every other string (including free text) through
// pii.MaskText. Walking the value rather than listing fields means a field
// added later cannot leak by being forgotten.
func maskValue(ptr any) {
	maskRV(reflect.ValueOf(ptr), "")
}

func maskRV(v reflect.Value, key string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			maskRV(v.Elem(), key)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			maskRV(v.Field(i), name)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw JSON or bytes: not displayed as text
		}
		for i := range v.Len() {
			maskRV(v.Index(i), key)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.String && v.Type().Key().Kind() == reflect.String {
			for _, k := range v.MapKeys() {
				v.SetMapIndex(k, reflect.ValueOf(maskString(key, v.MapIndex(k).String())).Convert(v.Type().Elem()))
			}
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(maskString(key, v.String()))
		}
	}
}

func maskString(key, s string) string {
	switch {
	case key == "phone":
		return pii.MaskPhone(s)
	case key == "id_card":
		return pii.MaskIDCard(s)
	case key == "id" || strings.HasSuffix(key, "_id") || key == "sha256" || key == "merged_into" ||
		key == "merged" || key == "repeat_candidates":
		return s
	}
	return pii.MaskText(s)
}
