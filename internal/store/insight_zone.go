package store

import (
	"context"
	"fmt"
	"time"

	"huajie/internal/insight"
	"huajie/internal/jrt"
)

// The roll-up (insight_daily), the case facts' days and the surveys' and
// posts' days are counted in one time zone. The zone they were built in is
// kept in insight_watermarks (source zoneMark, its name in id); a refresh
// with a deriver of another zone rebuilds them first.

const zoneMark = "zone"

// lockInsight serialises the transactions that read a watermark and add to
// the roll-up, across processes: on PostgreSQL two servers refreshing at
// once would otherwise both read the same watermark and count the same
// messages twice (a transaction-scoped advisory lock, one per schema). On
// SQLite the database's single writer already serialises them.
func lockInsight(ctx context.Context, tx *Tx) error {
	if tx.d != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('huajie.insight.' || current_schema()))`); err != nil {
		return fmt.Errorf("store: insight lock: %w", err)
	}
	return nil
}

// rollupZone is the zone the roll-up is counted in: the stored one, or
// the default when none is stored yet (the first refresh then rebuilds in
// its own zone anyway).
func (db *DB) rollupZone(ctx context.Context, q queryer) (*time.Location, error) {
	_, name, err := db.watermark(ctx, q, zoneMark)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return insight.DefaultZone(), nil
	}
	loc, err := insight.ParseZone(name)
	if err != nil {
		return nil, fmt.Errorf("store: the insight roll-up's stored zone: %w", err)
	}
	return loc, nil
}

// InsightZone returns the name of the zone the roll-up was built in ("" if
// it was never built).
func (db *DB) InsightZone(ctx context.Context) (string, error) {
	_, name, err := db.watermark(ctx, db, zoneMark)
	return name, err
}

// ensureZone rebuilds what is keyed by day when the roll-up was built in
// another zone than d's (or was never marked with one): in one transaction
// it empties the roll-up, rolls the posts up again and recomputes the posts'
// and surveys' days, and resets the interactions' and cases' watermarks,
// so that the refresh that follows counts every message again and rewrites
// every case fact (day and deadline bands) in the new zone, in chunks. It
// returns whether it rebuilt and the zone it replaced ("" for none).
func (db *DB) ensureZone(ctx context.Context, d *insight.Deriver) (bool, string, error) {
	want := insight.ZoneName(d.Zone())
	if _, have, err := db.watermark(ctx, db, zoneMark); err != nil || have == want {
		return false, "", err
	}
	rebuilt, prev := false, ""
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := lockInsight(ctx, tx); err != nil {
			return err
		}
		_, have, err := db.watermark(ctx, tx, zoneMark)
		if err != nil || have == want {
			return err
		}
		prev, rebuilt = have, true
		if _, err := tx.ExecContext(ctx, `DELETE FROM insight_daily`); err != nil {
			return fmt.Errorf("store: rebuild roll-up: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM insight_watermarks WHERE source IN ('interactions', 'cases')`); err != nil {
			return fmt.Errorf("store: rebuild roll-up: %w", err)
		}
		r := Rollup{}
		rows, err := tx.QueryContext(ctx, `SELECT id, at, day, touchpoint, branch, product, team, channel, emotion, negative, cause_code, business_code, dimension FROM posts`)
		if err != nil {
			return err
		}
		type moved struct {
			id  string
			day int64
		}
		var days []moved
		for rows.Next() {
			var id, tp, branch, product, team, channel, emotion, cause, business, dim string
			var at, day int64
			var neg float64
			if err := rows.Scan(&id, &at, &day, &tp, &branch, &product, &team, &channel, &emotion, &neg, &cause, &business, &dim); err != nil {
				rows.Close()
				return err
			}
			code, _ := jrt.ChannelCode(channel)
			f := insight.Fact{At: fromMicros(at), Negative: neg, Values: map[string]string{
				insight.DimChannel: channel, insight.DimChannelCode: code, insight.DimTeam: team, insight.DimBranch: branch,
				insight.DimProduct: product, insight.DimCause: cause, insight.DimBusiness: business, insight.DimTouchpoint: tp,
				insight.DimEmotion: emotion, insight.DimServqual: dim}}
			f.Day = d.Day(f.At)
			r.Add(f)
			if f.Day != day {
				days = append(days, moved{id, f.Day})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range days {
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET day = ? WHERE id = ?`, m.day, m.id); err != nil {
				return fmt.Errorf("store: rebuild post days: %w", err)
			}
		}
		if err := writeRollup(ctx, tx.Tx, tx.d, insight.SourcePost, r); err != nil {
			return err
		}
		days = days[:0]
		rows, err = tx.QueryContext(ctx, `SELECT id, at, day FROM surveys`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var at, day int64
			if err := rows.Scan(&id, &at, &day); err != nil {
				rows.Close()
				return err
			}
			if nd := d.Day(fromMicros(at)); nd != day {
				days = append(days, moved{id, nd})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range days {
			if _, err := tx.ExecContext(ctx, `UPDATE surveys SET day = ? WHERE id = ?`, m.day, m.id); err != nil {
				return fmt.Errorf("store: rebuild survey days: %w", err)
			}
		}
		return setWatermark(ctx, tx, zoneMark, 0, want)
	})
	return rebuilt, prev, err
}
