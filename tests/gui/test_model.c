/* test_model.c: the front end's model of a run: steps group one scheduler event's records,
 * stepping back (rebuild + replay) gives exactly the state stepping forward gave, the squeezed
 * axis breaks the 240 s TIME_WAIT, a segment dropped by hand becomes a `fault` line that, saved
 * into the scenario, reproduces the drop, and the explanation of a real step. Run by meson
 * (tests/gui): argv[1] = scenarios/04-full-lifecycle.scn, argv[2] = a scratch directory. */
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "gui_files.h"
#include "gui_model.h"
#include "gui_scn.h"
#include "testlib.h"

static const char *scenario, *scratch;
static struct scn *scn;

static struct gui_model *model(void)
{
    struct gui_source src;
    gui_scn_source(scn, scenario, NULL, &src);
    char err[512];
    struct gui_model *m = gui_model_create(&src, err, sizeof err);
    if (!m)
        fprintf(stderr, "%s\n", err);
    return m;
}

/* A digest of everything a snapshot shows that comes from the live simulation. */
static uint64_t digest(struct gui_model *m)
{
    struct gui_view *v = calloc(1, sizeof *v);
    gui_model_view(m, 0, v);
    uint64_t h = 1469598103934665603ull;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ull)
    for (int i = 0; i < 2; i++) {
        const struct gui_hostview *hv = &v->host[i];
        MIX(hv->state);
        MIX(hv->nsocks);
        for (size_t k = 0; k < hv->nsocks; k++) {
            const struct tcb_view *t = &hv->socks[k];
            MIX(t->state);
            MIX(t->iss);
            MIX(t->irs);
            MIX(t->snd_una);
            MIX(t->snd_nxt);
            MIX(t->rcv_nxt);
            MIX(t->snd_wnd);
            for (int j = 0; j < TCP_TIMER_COUNT; j++)
                MIX(t->timer_deadline[j]);
        }
    }
    MIX(v->ninflight);
    for (size_t i = 0; i < v->ninflight; i++) {
        MIX(v->inflight[i].id);
        MIX(v->inflight[i].arrive);
    }
#undef MIX
    free(v);
    return h;
}

TEST(steps_group_records_of_one_event)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK(m->nsteps > 15);
    CHECK_EQ_INT(m->end, SIM_DONE);
    size_t covered = 0;
    for (size_t i = 0; i < m->nsteps; i++) {
        const struct gui_step *st = &m->steps[i];
        CHECK(st->count > 0);
        CHECK_EQ_INT(st->first, covered);
        covered += st->count;
        for (uint32_t r = 0; r < st->count; r++)
            CHECK(m->recs[st->first + r].t == st->t);
        if (i > 0)
            CHECK(st->t >= m->steps[i - 1].t);
    }
    CHECK_EQ_INT(covered, m->nrecs);
    /* Every arrival is paired with its transmission. */
    for (size_t i = 0; i < m->nrecs; i++)
        if (m->recs[i].ev == TR_RX) {
            uint32_t tx = m->recs[i].u.rx.tx;
            CHECK(tx > 0 && m->recs[tx - 1].ev == TR_TX && m->recs[tx - 1].u.tx.id == m->recs[i].u.rx.id);
        }
    /* The 240 s of TIME_WAIT are squeezed behind a break, and the axis is increasing. */
    bool long_break = false;
    for (size_t i = 0; i + 1 < m->axis.n; i++) {
        CHECK(m->axis.u[i + 1] > m->axis.u[i]);
        if (m->axis.brk[i] && m->axis.t[i + 1] - m->axis.t[i] > sim_s(200))
            long_break = true;
    }
    CHECK(long_break);
    CHECK(gui_axis_end(&m->axis) < 40);
    CHECK(gui_axis_t(&m->axis, gui_axis_u(&m->axis, sim_ms(123))) == sim_ms(123));
    CHECK_EQ_INT(gui_model_steps_until(m, -1), 0);
    CHECK_EQ_INT(gui_model_steps_until(m, SIM_NEVER - 1), m->nsteps);
    gui_model_destroy(m);
}

TEST(stepping_back_replays_exactly)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    size_t n = m->nsteps;
    uint64_t *fwd = calloc(n + 1, sizeof *fwd);
    for (size_t k = 0; k <= n; k++) {
        CHECK(gui_model_goto(m, k));
        fwd[k] = digest(m);
    }
    for (size_t k = n + 1; k-- > 0;) {
        CHECK(gui_model_goto(m, k));
        CHECK_EQ_INT(m->pos, k);
        CHECK_EQ_U64(digest(m), fwd[k]);
    }
    /* Again, with the spare simulation waiting at checkpoints every 4 steps. */
    m->checkpoint = 4;
    CHECK(gui_model_goto(m, n));
    size_t from_spare = 0;
    for (size_t k = n + 1; k-- > 0;) {
        for (size_t guard = 0; guard < 100 && gui_model_idle(m, 1); guard++)
            ;
        CHECK(m->spare != NULL);
        CHECK(m->spare_pos + 4 >= m->pos || m->pos == 0);
        from_spare += m->spare && m->spare_pos <= k && m->spare_pos > 0;
        CHECK(gui_model_goto(m, k));
        CHECK_EQ_U64(digest(m), fwd[k]);
    }
    CHECK(from_spare > n / 2);
    /* The snapshot before the last step is the state one step earlier. */
    CHECK(gui_model_goto(m, 3));
    CHECK(m->prev_valid);
    struct gui_hostview before[2];
    memcpy(before, m->prev, sizeof before);
    CHECK(gui_model_goto(m, 2));
    CHECK(memcmp(before, m->cur, sizeof before) == 0);
    free(fwd);
    gui_model_destroy(m);
}

TEST(explains_a_real_step)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    size_t k = gui_model_steps_until(m, sim_ms(10));
    CHECK(k > 0);
    struct trace_rec recs[16];
    size_t n = gui_model_step_recs(m, k - 1, recs, 16);
    CHECK(n > 2);
    char buf[1024];
    struct explain_opts o = { 0 };
    explain_step(recs, n, &o, buf, sizeof buf);
    const char *want = "B receives SYN in LISTEN, moves to SYN_RECEIVED and answers SYN+ACK with its own initial "
                       "sequence number ";
    CHECK(strncmp(buf, want, strlen(want)) == 0);
    CHECK(strstr(buf, "and ack = A's ISN + 1.") != NULL);
    gui_model_destroy(m);
}

TEST(a_drop_becomes_a_scripted_fault)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    /* Right after A's SYN leaves, it is the one segment in flight. */
    size_t k = gui_model_steps_until(m, 0);
    CHECK(gui_model_goto(m, k));
    struct gui_view *v = calloc(1, sizeof *v);
    gui_model_view(m, sim_ms(4), v);
    CHECK_EQ_INT(v->ninflight, 1);
    uint64_t id = v->inflight[0].id;
    CHECK_EQ_INT(v->inflight[0].seg.flags, SEG_SYN);
    size_t arrivals_before = 0, arrivals_after = 0;
    for (size_t i = 0; i < m->nrecs; i++)
        arrivals_before += m->recs[i].ev == TR_RX && m->recs[i].u.rx.seg.flags == SEG_SYN;
    CHECK(gui_model_drop(m, id, 0, sim_ms(4)));
    CHECK_EQ_INT(m->pos, k + 1);
    CHECK_EQ_INT(m->ndrops, 1);
    CHECK(m->steps[k].drop == 0);
    CHECK(m->steps[k].kinds & GUI_STEP_DROP);
    CHECK_EQ_INT(m->recs[m->steps[k].first].ev, TR_LINK);
    CHECK(m->steps[k].t == sim_ms(4));
    for (size_t i = 0; i < m->nrecs; i++)
        arrivals_after += m->recs[i].ev == TR_RX && m->recs[i].u.rx.seg.flags == SEG_SYN;
    /* The run is recorded again: the SYN never reaches B (A closes at 200 ms, before its RTO). */
    CHECK_EQ_INT(arrivals_before, 1);
    CHECK_EQ_INT(arrivals_after, 0);
    gui_model_view(m, sim_ms(4), v);
    CHECK_EQ_INT(v->ninflight, 0);
    /* Rewinding replays the drop. */
    uint64_t here = digest(m);
    CHECK(gui_model_goto(m, 0));
    CHECK(gui_model_goto(m, k + 1));
    CHECK_EQ_U64(digest(m), here);
    CHECK(!gui_model_drop(m, id, 0, sim_ms(4))); /* it is gone already */

    char line[128];
    CHECK(gui_model_fault_line(m, 0, line, sizeof line));
    CHECK_STR(line, "fault A>B drop SYN nth 1");
    CHECK(!gui_model_fault_line(m, 1, line, sizeof line));

    /* Saved into a copy of the scenario, the fault drops the same SYN. */
    char saved[1024], err[512];
    CHECK(gui_files_save_drops(m, scratch, saved, sizeof saved, err, sizeof err));
    CHECK(strstr(saved, "04-full-lifecycle-drops") != NULL);
    struct scn *s2 = NULL;
    struct scn_error e;
    CHECK(scn_parse_file(saved, &s2, &e));
    if (s2) {
        CHECK_EQ_INT(s2->nfaults, 1);
        struct gui_source src;
        gui_scn_source(s2, saved, NULL, &src);
        struct gui_model *m2 = gui_model_create(&src, err, sizeof err);
        CHECK(m2 != NULL);
        const struct gui_rec *first_syn = NULL;
        for (size_t i = 0; m2 && i < m2->nrecs && !first_syn; i++)
            if (m2->recs[i].ev == TR_TX && m2->recs[i].u.tx.seg.flags == SEG_SYN)
                first_syn = &m2->recs[i];
        CHECK(first_syn && first_syn->u.tx.fate == FATE_DROPPED);
        if (first_syn)
            CHECK(strstr(gui_model_text(m2, first_syn->note), "drop A>B SYN nth 1") != NULL);
        gui_model_destroy(m2);
        scn_free(s2);
    }
    char again[1024];
    CHECK(gui_files_save_drops(m, scratch, again, sizeof again, err, sizeof err));
    CHECK(strcmp(saved, again) != 0); /* never overwrites */
    remove(saved);
    remove(again);
    free(v);
    gui_model_destroy(m);
}

TEST(nothing_to_save_without_drops)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    char saved[1024], err[512] = "";
    CHECK(!gui_files_save_drops(m, scratch, saved, sizeof saved, err, sizeof err));
    CHECK(strstr(err, "nothing to save") != NULL);
    gui_model_destroy(m);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_model SCENARIO.scn SCRATCH_DIR\n");
        return 2;
    }
    scenario = argv[1];
    scratch = argv[2];
    struct scn_error e;
    if (!scn_parse_file(scenario, &scn, &e)) {
        fprintf(stderr, "%s\n", e.text);
        return 2;
    }
    struct test_ctx t = { 0 };
    RUN_TEST(&t, steps_group_records_of_one_event);
    RUN_TEST(&t, stepping_back_replays_exactly);
    RUN_TEST(&t, explains_a_real_step);
    RUN_TEST(&t, a_drop_becomes_a_scripted_fault);
    RUN_TEST(&t, nothing_to_save_without_drops);
    scn_free(scn);
    return test_finish(&t);
}
