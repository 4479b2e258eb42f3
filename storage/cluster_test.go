package storage

import (
	"context"
	"regexp"
	"testing"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
	"complaintbot/internal/redistest"
)

// TestCluster runs the conformance suite through a ClusterClient on three masters. Redis
// Cluster refuses a script or transaction whose keys span slots (CROSSSLOT, or "Script
// attempted to access a non local key"), so the suite passing proves every multi-key operation
// of one chat stays in one slot.
func TestCluster(t *testing.T) {
	cl := redistest.NewCluster(t, 3)
	newRedis := func(t *testing.T, o Options) *Redis {
		t.Helper()
		cc := cl.Client(t)
		err := cc.ForEachMaster(context.Background(), func(ctx context.Context, c *redis.Client) error {
			return c.FlushAll(ctx).Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return New(cc, o)
	}
	t.Run("the cluster refuses a script across slots", func(t *testing.T) {
		// Without this refusal the suite below would prove nothing.
		r := newRedis(t, Options{})
		err := r.rdb.Eval(testCtx(t), "redis.call('SET', KEYS[1], 1) return redis.call('INCR', KEYS[2])",
			[]string{sessionKey(testChat), seqKey}).Err()
		if err == nil {
			t.Fatal("a script with keys in two slots ran")
		}
		t.Logf("refused as it should be: %v", err)
	})

	testConformance(t, newRedis)

	t.Run("a chat's keys share one slot", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		for _, chat := range []int64{testChat, 42, -1001234567890} {
			if _, _, err := r.Apply(ctx, chat, 1, storeStep(sampleComplaint(r.o.Now()))); err != nil {
				t.Fatal(err)
			}
			if _, _, err := r.Apply(ctx, chat, 2, escalateStep("")); err != nil {
				t.Fatal(err)
			}
			if _, _, err := r.Apply(ctx, chat, 3, func(s flows.Session) (flows.Result, error) {
				return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectAddEvidence,
					Evidence: []flows.Evidence{{Kind: flows.EvidencePhoto, FileID: "f", UniqueID: "q"}}}}}, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		tag := regexp.MustCompile(`^\{chat:(-?\d+)\}`)
		slots := map[string]map[int64]bool{}
		for key := range dump(t, r) {
			m := tag.FindStringSubmatch(key)
			if m == nil {
				continue
			}
			slot, err := r.rdb.ClusterKeySlot(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
			if slots[m[1]] == nil {
				slots[m[1]] = map[int64]bool{}
			}
			slots[m[1]][slot] = true
		}
		if len(slots) != 3 {
			t.Errorf("found the keys of %d chats, want 3", len(slots))
		}
		for chat, s := range slots {
			if len(s) != 1 {
				t.Errorf("chat %s has keys in %d slots", chat, len(s))
			}
		}
	})
}
