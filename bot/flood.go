package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// The defaults of Config.UserRate and Config.UserBurst: a person types, presses and sends
// albums far below this; a script flooding the bot is slowed to it.
const (
	DefaultUserRate  = rate.Limit(2)
	DefaultUserBurst = 40
)

// maxFloodEntries bounds the chats the flood limiter remembers before it forgets the ones whose
// bucket is full again (and so identical to a new one).
const maxFloodEntries = 4096

// flood limits how many updates each chat may have handled: beyond the bucket an update is
// dropped (acknowledged and not applied), and the chat is told so at most once a minute. Other
// chats are not affected: a dropped update costs no Redis call and no Bot API call.
type flood struct {
	rate  rate.Limit
	burst int

	mu    sync.Mutex
	chats map[int64]*floodChat
}

type floodChat struct {
	lim  *rate.Limiter
	told time.Time // when the chat was last told it is sending too fast
}

func newFlood(r rate.Limit, burst int) *flood {
	return &flood{rate: r, burst: burst, chats: map[int64]*floodChat{}}
}

// allow reports whether chat's update at now may be handled and, when not, whether the chat
// should be told (once a minute).
func (f *flood) allow(chat int64, now time.Time) (ok, tell bool) {
	ok, tell, _ = f.take(chat, now)
	return ok, tell
}

// take is allow that also returns, for an allowed update, a function giving its token back: an
// update that failed for a transient reason (Redis down) comes again and should not count twice.
func (f *flood) take(chat int64, now time.Time) (ok, tell bool, refund func(time.Time)) {
	none := func(time.Time) {}
	if f.rate == rate.Inf {
		return true, false, none
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.chats[chat]
	if c == nil {
		if len(f.chats) >= maxFloodEntries {
			for id, o := range f.chats {
				if o.lim.TokensAt(now) >= float64(f.burst) {
					delete(f.chats, id)
				}
			}
		}
		c = &floodChat{lim: rate.NewLimiter(f.rate, f.burst)}
		f.chats[chat] = c
	}
	if r := c.lim.ReserveN(now, 1); r.OK() && r.DelayFrom(now) == 0 {
		return true, false, func(at time.Time) {
			f.mu.Lock()
			defer f.mu.Unlock()
			r.CancelAt(at)
		}
	} else {
		r.CancelAt(now)
	}
	if now.Sub(c.told) < time.Minute {
		return false, false, none
	}
	c.told = now
	return false, true, none
}
