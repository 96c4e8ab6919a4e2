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

    float W = (float)w, H = (float)h, g = l->gap;
    float title_h = (float)l->f_title * 1.9f;
    float caption_h = (float)l->f_caption * 1.5f + (float)l->f_body * 2.7f + 2 * l->pad;
    float timeline_h = 46 * s * (presenter ? 1.1f : 1.0f);
    float top_h = (H - title_h - caption_h - timeline_h - 6 * g) * 0.47f;
    float mid_h = H - title_h - caption_h - timeline_h - top_h - 6 * g;

    float y = g;
    l->title = (SDL_FRect){ g, y, W - 2 * g, title_h };
    y += title_h + g;
    float host_w = (W - 4 * g) * 0.27f;
    l->host[0] = (SDL_FRect){ g, y, host_w, top_h };
    l->host[1] = (SDL_FRect){ W - g - host_w, y, host_w, top_h };
    l->link = (SDL_FRect){ 2 * g + host_w, y, W - 4 * g - 2 * host_w, top_h };
    y += top_h + g;
    float inner = W - 4 * g;
    float ladder_w = inner * (presenter ? 0.44f : 0.40f);
    float fsm_w = inner * (presenter ? 0.38f : 0.36f);
    l->ladder = (SDL_FRect){ g, y, ladder_w, mid_h };
    l->fsm = (SDL_FRect){ 2 * g + ladder_w, y, fsm_w, mid_h };
    l->log = (SDL_FRect){ 3 * g + ladder_w + fsm_w, y, W - 4 * g - ladder_w - fsm_w, mid_h };
    y += mid_h + g;
    l->caption = (SDL_FRect){ g, y, W - 2 * g, caption_h };
    y += caption_h + g;
    l->timeline = (SDL_FRect){ g, y, W - 2 * g, timeline_h };
}
