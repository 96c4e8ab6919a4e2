/* gui_layout.c: the panel grid (title; host A, link, host B; ladder, state diagram, event log;
 * caption; timeline) and the font sizes, scaled to the output. Called once per frame. */
#include "gui_layout.h"

static int px(float v)
{
    int p = (int)(v + 0.5f);
    return p < 6 ? 6 : p;
}

void gui_layout_compute(struct gui_layout *l, int w, int h, bool presenter)
{
    float sx = (float)w / 1280.0f, sy = (float)h / 720.0f;
    float s = sx < sy ? sx : sy;
    if (s < 0.25f)
        s = 0.25f;
    float f = presenter ? 1.25f : 1.0f;
    *l = (struct gui_layout){ .s = s };
    l->pad = 8 * s;
    l->gap = 6 * s;
    l->radius = 6 * s;
    l->line = (presenter ? 2.2f : 1.5f) * s;
    l->f_title = px(15 * s * f);
    l->f_body = px(14 * s * f);
    l->f_small = px(12 * s * f);
    l->f_tiny = px(10.5f * s * f);
    l->f_badge = px(21 * s * f);
    l->f_big = px(28 * s * f);
    l->f_caption = px(18 * s * f);

    /* Title across the top; a tall ladder on the left (a textbook figure is tall); on the right
     * host A, the link and host B over the state diagram and the event log; caption and timeline
     * across the bottom. */
    float W = (float)w, H = (float)h, g = l->gap;
    float title_h = (float)l->f_title * 1.9f;
    float caption_h = (float)l->f_caption * 1.5f + (float)l->f_body * 2.7f + 2 * l->pad;
    float timeline_h = 46 * s * (presenter ? 1.1f : 1.0f);
    float body_h = H - title_h - caption_h - timeline_h - 5 * g;
    float y = g;
    l->title = (SDL_FRect){ g, y, W - 2 * g, title_h };
    y += title_h + g;
    float ladder_w = (W - 3 * g) * 0.285f;
    l->ladder = (SDL_FRect){ g, y, ladder_w, body_h };
    float rx = 2 * g + ladder_w, rw = W - rx - g;
    float top_h = body_h * 0.49f;
    float host_w = (rw - 2 * g) * 0.315f;
    l->host[0] = (SDL_FRect){ rx, y, host_w, top_h };
    l->link = (SDL_FRect){ rx + host_w + g, y, rw - 2 * host_w - 2 * g, top_h };
    l->host[1] = (SDL_FRect){ rx + rw - host_w, y, host_w, top_h };
    float fsm_w = (rw - g) * (presenter ? 0.64f : 0.61f);
    l->fsm = (SDL_FRect){ rx, y + top_h + g, fsm_w, body_h - top_h - g };
    l->log = (SDL_FRect){ rx + fsm_w + g, y + top_h + g, rw - fsm_w - g, body_h - top_h - g };
    y += body_h + g;
    l->caption = (SDL_FRect){ g, y, W - 2 * g, caption_h };
    y += caption_h + g;
    l->timeline = (SDL_FRect){ g, y, W - 2 * g, timeline_h };
}
