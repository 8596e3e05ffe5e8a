/* SPDX-License-Identifier: MIT */
/*
 * monitor.c - the virtual DisplayPort monitor on DDI D, the port the
 * OpRegion's VBT describes (opregion.c: one DP child, DVO port D, AUX D).
 *
 * What the guest sees of it (SPT PCH, as i915 6.1 reads it):
 *
 *   SFUSE_STRAP       0xc2014  bit 0 DDID_DETECTED: the port exists (set
 *                              whether or not a monitor is plugged in);
 *                              read-only
 *   SDEISR            0xc4000  bit 23 PORTD_HOTPLUG: live, set while the
 *                              monitor is connected
 *   SDEIIR            0xc4008  bit 23 latched on every plug and unplug
 *   PCH_PORT_HOTPLUG  0xc4030  bit 17 long pulse on D, set on plug and
 *                              unplug while bit 20 (enable) is set;
 *                              write-1-to-clear (ports.c)
 *   DP AUX D          0x64310  the monitor's DPCD and its EDID over
 *                              I2C-over-AUX (dpsink.c); unplugged, every
 *                              transaction times out
 *
 * The EDID is the admin's (validated) or one built for the configured
 * preferred mode (edid.c).  A plug, an unplug and a new EDID each raise
 * the hotplug event, as replugging a real monitor does.
 *
 * Sources (facts only): i915_reg.h (SFUSE_STRAP, SDE_PORTD_HOTPLUG_CPT,
 * PORTD_HOTPLUG_ENABLE, PORTD_HOTPLUG_LONG_DETECT); display/intel_display.c
 * (intel_setup_outputs reads SFUSE_STRAP on DDI platforms),
 * i915_irq.c (spt_irq_handler, ibx_digital_port_connected via SDEISR);
 * gvt/display.c (emulate_monitor_status_change, the bits it sets for D).
 */
#include "vgpu/display/monitor.h"

#include <errno.h>
#include <string.h>

#include "util/log.h"
#include "vgpu/display/dpsink.h"
#include "vgpu/fixed.h"
#include "vgpu/irq.h"
#include "vgpu/ports.h"
#include "vgpu/types.h"

#define SFUSE_STRAP 0xc2014u
#define SFUSE_STRAP_DDID_DETECTED (1u << 0)
#define SDE_PORTD_HOTPLUG_CPT (1u << 23)
#define PCH_PORT_HOTPLUG 0xc4030u
#define PORTD_HOTPLUG_ENABLE (1u << 20)
#define PORTD_HOTPLUG_LONG_DETECT (2u << 16)
#define AUX_CH_D 3

struct vgpu_monitor {
	struct mmio_space *m;
	struct vgpu_irq *irq;
	struct vgpu_ports *ports;
	const char *name;
	bool connected;
	uint8_t edid[EDID_MAX_SIZE];
	size_t edid_len;
	struct dp_sink sink;
	uint64_t hotplugs; /* events raised */
	unsigned max_w, max_h; /* the vGPU type's largest mode */
};

/* clang-format off */
static const struct mmio_reg monitor_regs[] = {
	{.offset = SFUSE_STRAP, .size = 4, .reset = SFUSE_STRAP_DDID_DETECTED,
	 .ro_mask = ~0u, .name = "SFUSE_STRAP"},
};
/* clang-format on */

/* The line's level and the sink follow `connected`. */
static void apply(struct vgpu_monitor *mon)
{
	vgpu_irq_set_isr(mon->irq, VGPU_IRQ_PCH, SDE_PORTD_HOTPLUG_CPT,
			 mon->connected ? SDE_PORTD_HOTPLUG_CPT : 0);
	dp_sink_set_connected(&mon->sink, mon->connected);
}

static void hotplug(struct vgpu_monitor *mon)
{
	uint32_t hp = mmio_vreg_get(mon->m, PCH_PORT_HOTPLUG);

	apply(mon);
	if (hp & PORTD_HOTPLUG_ENABLE)
		mmio_vreg_set(mon->m, PCH_PORT_HOTPLUG,
			      hp | PORTD_HOTPLUG_LONG_DETECT);
	vgpu_irq_raise(mon->irq, VGPU_IRQ_PCH, SDE_PORTD_HOTPLUG_CPT);
	mon->hotplugs++;
}

/*
 * Every EDID the monitor takes (configured, built, plugged at run time,
 * loaded) comes through here: a valid one, whose preferred mode fits the
 * vGPU type's largest (a screenshot or a viewer shows no more of a plane
 * than that, capture.c).  0, -EINVAL, or -E2BIG for too large a mode.
 */
static int set_edid(struct vgpu_monitor *mon, const uint8_t *edid, size_t len)
{
	struct edid_timing t;
	char why[128];

	if (edid_validate(edid, len, why, sizeof(why)) < 0) {
		log_warn("%s: monitor: EDID refused: %s", mon->name, why);
		return -EINVAL;
	}
	if (edid_preferred_mode(edid, &t) == 0 &&
	    (t.hactive > mon->max_w || t.vactive > mon->max_h)) {
		log_warn("%s: monitor: EDID refused: its preferred mode %ux%u "
			 "is larger than the vGPU type's largest, %ux%u",
			 mon->name, t.hactive, t.vactive, mon->max_w,
			 mon->max_h);
		return -E2BIG;
	}
	memcpy(mon->edid, edid, len);
	mon->edid_len = len;
	dp_sink_init(&mon->sink, mon->edid, mon->edid_len);
	return 0;
}

static int monitor_init(struct vgpu *v, void *state)
{
	const struct vgpu_config *cfg = vgpu_config(v);
	struct vgpu_monitor *mon = state;
	struct edid_mode mode = edid_mode_default;
	uint8_t built[EDID_BLOCK];
	int rc;

	mon->m = vgpu_regs(v);
	mon->name = vgpu_name(v);
	mon->max_w = vgpu_type(v)->max_width;
	mon->max_h = vgpu_type(v)->max_height;
	mon->irq = vgpu_block_state(v, &vgpu_irq_block);
	mon->ports = vgpu_block_state(v, &vgpu_ports_block);
	if (!mon->irq || !mon->ports)
		return -EINVAL;
	if (cfg->edid) {
		rc = set_edid(mon, cfg->edid, cfg->edid_len);
	} else {
		if (cfg->monitor && edid_parse_mode(cfg->monitor, &mode) < 0) {
			log_err("%s: monitor: unknown mode '%s' (1024x768, "
				"1280x1024 or 1920x1080)",
				mon->name, cfg->monitor);
			return -EINVAL;
		}
		/* offering only the modes the type shows */
		rc = edid_build_max(built, &mode, cfg->vgt_id ? cfg->vgt_id : 1,
				    mon->max_w, mon->max_h);
		if (rc < 0) {
			log_err("%s: monitor: %ux%u is larger than the vGPU "
				"type's largest, %ux%u",
				mon->name, mode.width, mode.height, mon->max_w,
				mon->max_h);
			return rc;
		}
		rc = set_edid(mon, built, sizeof(built));
	}
	if (rc < 0)
		return -EINVAL;
	mon->connected = !cfg->monitor_unplugged;
	vgpu_ports_set_aux_sink(mon->ports, AUX_CH_D, dp_sink_aux, &mon->sink);
	apply(mon);
	return 0;
}

static void monitor_fini(void *state)
{
	struct vgpu_monitor *mon = state;

	if (mon->ports)
		vgpu_ports_set_aux_sink(mon->ports, AUX_CH_D, NULL, NULL);
}

/* A device reset leaves the monitor plugged as it was; the link drops. */
static void monitor_reset(void *state)
{
	struct vgpu_monitor *mon = state;

	dp_sink_reset(&mon->sink);
	apply(mon);
}

static void monitor_save(const void *state, struct blob_w *w)
{
	const struct vgpu_monitor *mon = state;

	blob_put_u8(w, mon->connected);
	blob_put_u32(w, (uint32_t)mon->edid_len);
	blob_put_bytes(w, mon->edid, mon->edid_len);
	blob_put_u64(w, mon->hotplugs);
	dp_sink_save(&mon->sink, w);
}

static int monitor_load(void *state, struct blob_r *r)
{
	struct vgpu_monitor *mon = state;
	uint8_t edid[EDID_MAX_SIZE];
	uint8_t connected = blob_get_u8(r);
	uint32_t len = blob_get_u32(r);

	if (r->failed || connected > 1 || len > sizeof(edid))
		return -EINVAL;
	blob_get_bytes(r, edid, len);
	mon->hotplugs = blob_get_u64(r);
	if (r->failed || set_edid(mon, edid, len) < 0 ||
	    dp_sink_load(&mon->sink, r) < 0)
		return -EINVAL;
	mon->connected = connected;
	vgpu_restore_fixed(mon->m, monitor_regs,
			   sizeof(monitor_regs) / sizeof(monitor_regs[0]));
	apply(mon);
	return 0;
}

const struct vgpu_block vgpu_monitor_block = {
    .name = "monitor",
    VGPU_REGS(monitor_regs),
    .state_size = sizeof(struct vgpu_monitor),
    .init = monitor_init,
    .reset = monitor_reset,
    .fini = monitor_fini,
    .save = monitor_save,
    .load = monitor_load,
};

int vgpu_monitor_plug(struct vgpu_monitor *mon, const uint8_t *edid,
		      size_t len)
{
	bool same = !edid || (len == mon->edid_len &&
			      !memcmp(edid, mon->edid, len));
	int rc;

	if (mon->connected && same)
		return 0;
	rc = same ? 0 : set_edid(mon, edid, len);
	if (rc < 0)
		return rc;
	mon->connected = true;
	hotplug(mon);
	return 0;
}

void vgpu_monitor_unplug(struct vgpu_monitor *mon)
{
	if (!mon->connected)
		return;
	mon->connected = false;
	hotplug(mon);
}

bool vgpu_monitor_connected(const struct vgpu_monitor *mon)
{
	return mon->connected;
}

const uint8_t *vgpu_monitor_edid(const struct vgpu_monitor *mon, size_t *len)
{
	*len = mon->edid_len;
	return mon->edid;
}

uint64_t vgpu_monitor_hotplugs(const struct vgpu_monitor *mon)
{
	return mon->hotplugs;
}
