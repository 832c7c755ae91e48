//! Near-duplicate image queries: `NearQuery.fromBytes` hashes an image once (the expensive part),
//! `screener.screenNear` probes a list with it. Thin translation of
//! [`hashscreen::image::near::NearQuery`] and [`hashscreen::Screener::screen_near`].

use hashscreen::image::near::{NearParams, NearQuery as CoreQuery};
use wasm_bindgen::prelude::*;

use crate::error::{invalid_argument, js};
use crate::js::{get_f64, object, set};
use crate::screen::{verdict_to_js, Screener};
use crate::{JsNearParams, JsNearParamsList, JsVerdict};

/// The probe values of one image for one parameter set: compute once, screen against any list
/// with the same `image_near` parameters. Holds codes derived from the image: keep it on the device
/// like the image itself.
#[wasm_bindgen]
pub struct NearQuery(CoreQuery);

/// `NearParams` as a JS object.
fn params_to_js(p: &NearParams) -> JsNearParams {
    let o = object();
    set(&o, "side", p.side);
    set(&o, "flipDepth", p.flip_depth);
    set(&o, "probesPerView", p.probes_per_view);
    set(&o, "views", p.views);
    o.unchecked_into()
}

/// A JS `NearParams` (missing fields take the defaults), checked by the core's rules.
fn params_from_js(v: &JsValue) -> Result<NearParams, JsValue> {
    let d = NearParams::default();
    let field = |key: &str, default: u32| -> Result<u32, JsValue> {
        match get_f64(v, key)? {
            None => Ok(default),
            Some(n) if (0.0..=f64::from(u32::MAX)).contains(&n) && n.fract() == 0.0 => Ok(n as u32),
            Some(_) => Err(invalid_argument(&format!(
                "`{key}` must be a non-negative integer"
            ))),
        }
    };
    let side = field("side", d.side.into())?;
    let depth = field("flipDepth", d.flip_depth.into())?;
    let probes = field("probesPerView", d.probes_per_view.into())?;
    let views = field("views", d.views)?;
    // The section-header encoding checks every range (INVALID_PARAMETERS otherwise); a side or
    // depth over 255 would spill into the other byte, so it is refused first.
    if side > 0xff || depth > 0xff {
        return Err(js(hashscreen::Error::InvalidParameters {
            what: "image_near parameters: side or flip depth out of range",
        }));
    }
    NearParams::from_params(&[side | depth << 8, probes, views, 0]).map_err(js)
}

#[wasm_bindgen]
impl NearQuery {
    /// Decodes an image file and computes its near-duplicate probe values for `params` (a list's
    /// `screener.nearParams()`; omitted: the defaults lists are built with). Throws the image
    /// errors of `pdqHash` (`"IMAGE_DECODE"`, `"IMAGE_LOW_QUALITY"`, ...) and
    /// `"INVALID_PARAMETERS"`.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        bytes: &js_sys::Uint8Array,
        params: Option<JsNearParams>,
    ) -> Result<NearQuery, JsValue> {
        let params = match params {
            Some(p) => params_from_js(p.as_ref())?,
            None => NearParams::default(),
        };
        let bytes = crate::js::image_bytes(bytes)?;
        CoreQuery::from_bytes(&bytes, &params)
            .map(NearQuery)
            .map_err(js)
    }

    /// The parameters the values were computed for.
    #[wasm_bindgen(getter)]
    pub fn params(&self) -> JsNearParams {
        params_to_js(self.0.params())
    }

    /// How many probe values the query holds.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }
}

#[wasm_bindgen]
impl Screener {
    /// The parameters of the list's `image_near` sections (normally one set; empty without such
    /// sections): compute a `NearQuery` for each.
    #[wasm_bindgen(js_name = nearParams)]
    pub fn near_params(&self) -> JsNearParamsList {
        let out = js_sys::Array::new();
        for p in self.0.near_params() {
            out.push(&params_to_js(&p));
        }
        JsValue::from(out).unchecked_into()
    }

    /// Screens a `NearQuery` against the `image_near` sections with the same parameters (matches
    /// name part 0). The part of `screenImage` that follows hashing.
    #[wasm_bindgen(js_name = screenNear)]
    pub fn screen_near(&self, query: &NearQuery) -> JsVerdict {
        verdict_to_js(&self.0.screen_near(&query.0))
    }
}
