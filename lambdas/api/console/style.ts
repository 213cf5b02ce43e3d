/**
 * GET /console/console.css: the console's one stylesheet (a static asset, cached for an hour). Mobile
 * first: one column at 390 px; below 560 px a table's rows are cards (each cell labelled by its column),
 * wider a table that does not fit scrolls inside its own box, never the page. Logical properties only
 * (start/end, inline/block): a right-to-left page (Arabic, <html dir="rtl">) mirrors without rules of its own.
 * Focus rings stand 2 px off their control, on the page: near-black on the light page and cards, amber on the
 * dark top bar, each at least 3:1 against what it sits on (WCAG 1.4.11; the orange ring before was 2.1-2.4:1).
 */
import type { HttpResult } from '../http.ts';
import type { LambdaHttpHandler } from '../middleware.ts';

export const CONSOLE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f2f4f7;color:#1a1a1a;font:16px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;overflow-wrap:anywhere}
a{color:#0b5cad}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #101828;outline-offset:2px}
.top :focus-visible,.skip:focus-visible{outline-color:#fdb022}
.skip{position:absolute;inset-inline-start:-9999px;top:0;background:#fff;padding:12px;min-height:44px;z-index:2}
.skip:focus{inset-inline-start:8px}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:10px 16px;background:#101828;color:#fff}
.top a{color:#fff}
.brand{display:inline-flex;align-items:center;min-height:44px;font-weight:700;font-size:18px;text-decoration:none;margin-inline-end:8px}
.top nav ul{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:0;padding:0}
.top nav a{display:inline-flex;align-items:center;min-height:44px;min-width:44px;text-decoration:none;border-bottom:2px solid transparent}
.top nav a[aria-current="page"]{border-bottom-color:#f79009}
.who{margin-inline-start:auto;display:flex;align-items:center;gap:10px;font-size:14px}
.who small{opacity:.8;margin-inline-start:4px}
button.row-action{margin-top:0;min-height:44px;padding:6px 14px}
button.link{background:none;border:1px solid #98a2b3;color:#fff;padding:4px 10px;min-height:44px;margin-top:0;font-size:14px}
main{max-width:1120px;margin:0 auto;padding:16px 12px 48px}
main:focus{outline:none}
h1{font-size:24px;line-height:1.25;margin:8px 0 12px}
h2{font-size:19px;margin:28px 0 10px}
h3{font-size:16px;margin:0 0 8px}
.lead-in{color:#344054}
.card{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(16,24,40,.06)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px}
.cards .card{margin:0}
.figure .big{font-size:30px;font-weight:700;margin:0}
.figure p{margin:0;color:#475467;font-size:14px}
.figure.good{border-top:5px solid #067647}
.figure.bad{border-top:5px solid #b42318}
.figure.neutral{border-top:5px solid #0b5cad}
.stack label,.filters label{display:block;font-weight:600;font-size:14px;margin:10px 0 4px}
input,select{width:100%;max-width:100%;min-height:44px;padding:8px 10px;border:1px solid #98a2b3;border-radius:6px;font:inherit;background:#fff;color:#1a1a1a}
.stack .check,.filters .check{display:flex;align-items:center;gap:8px;min-height:44px;margin:2px 0}
.check input{width:22px;min-height:22px}
button,.button{display:inline-block;min-height:44px;padding:10px 18px;margin-top:12px;border:0;border-radius:8px;background:#0b5cad;color:#fff;font:inherit;font-weight:700;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#0b5cad;border:1px solid #0b5cad;margin-top:0;min-height:44px;padding:6px 10px;font-size:14px;line-height:1.25;max-width:9.5em}
td form{margin:0}
.filters{display:grid;grid-template-columns:1fr;gap:0 14px}
.filters .actions{display:flex;align-items:center;gap:16px}
.filters .actions a,a.tap{display:inline-flex;align-items:center;min-height:44px;min-width:44px}
.jump{display:flex;gap:20px;margin:-4px 0 8px}
.field{min-width:0}
.more{grid-column:1/-1;margin-top:10px}
.more summary{cursor:pointer;font-weight:600;display:list-item;padding:10px 0;color:#0b5cad}
.more[open]{display:grid;grid-template-columns:1fr;gap:0 14px}
.forms{display:grid;grid-template-columns:1fr;gap:12px}
.forms .card{margin:0}
.hint{display:block;color:#475467;font-size:14px}
figcaption .hint{margin-top:6px}
.notice{padding:10px 14px;border-radius:8px;margin:0 0 12px}
.notice.success{background:#ecfdf3;border:1px solid #067647}
.notice.problem{background:#fef3f2;border:1px solid #b42318}
.notice.info{background:#eff8ff;border:1px solid #0b5cad}
.fields{margin:0 0 12px}
.empty{color:#475467}
.legend dl{margin:0;max-width:72ch}.legend dt{font-weight:600;margin-top:10px}.legend dt+dt{margin-top:0}.legend dd{margin:2px 0 0}
.scroll{overflow-x:auto;max-width:100%;margin:0 0 16px;background:#fff;border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:14px;overflow-wrap:normal}
caption{text-align:start;font-weight:700;padding:10px 12px 4px}
th,td{text-align:start;padding:8px;border-top:1px solid #eaecf0;vertical-align:top}
thead th{border-top:0;color:#475467;font-weight:600;vertical-align:bottom}
tbody th{font-weight:600;min-width:9em}
.num{text-align:end;white-space:nowrap}
thead th.num{white-space:normal}
.facts{display:grid;grid-template-columns:1fr;gap:6px 20px;margin:0 0 12px}
.facts div{display:grid;grid-template-columns:9em 1fr;gap:8px}
.facts dt{color:#475467}
.facts dd{margin:0}
.facts p.own{margin:0;white-space:pre-line;overflow-wrap:anywhere}
.addr{overflow-wrap:anywhere}
.facts ol{margin:0;padding-inline-start:20px}
.facts ul.issues{margin:0;padding-inline-start:20px;overflow-wrap:anywhere}
.late{color:#b42318;font-weight:700}
.ok{color:#067647;font-weight:700}
.timeline{list-style:none;padding:0;margin:0}
.timeline li{background:#fff;border-radius:8px;padding:8px 12px;margin:0 0 6px}
.timeline p{margin:0}
.timeline ul{margin:4px 0 0;padding-inline-start:20px;color:#475467;font-size:14px}
.by{color:#475467;font-size:14px}
.reasons{background:#fff;border-radius:10px;padding-block:12px;padding-inline:32px 12px}
.chart{margin:0 0 16px;background:#fff;border-radius:10px;padding:12px;max-width:480px}
.chart svg{display:block;height:auto}
figcaption{font-size:14px;color:#475467;margin-top:6px}
@media (max-width:559px){
  /* the nav on a row of its own under the brand and who is signed in: the header stays two rows on a phone */
  .top nav{order:3;flex-basis:100%}
  .rows thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
  .rows table,.rows caption,.rows tbody,.rows tr,.rows tbody th,.rows td{display:block}
  .rows tr{border-top:1px solid #eaecf0;padding:8px 0}
  .rows tbody th,.rows td{border-top:0;padding:2px 12px;min-width:0}
  .rows tbody th a{display:inline-flex;align-items:center;min-height:44px;min-width:44px}
  .rows td{display:grid;grid-template-columns:minmax(6em,38%) 1fr;gap:8px}
  .rows td::before{content:attr(data-label);color:#475467}
  .rows .num{text-align:start;white-space:normal}
}
@media (min-width:760px){
  main{padding:24px 24px 64px}
  .filters{grid-template-columns:repeat(3,1fr)}
  .filters .actions{grid-column:1/-1}
  .more[open]{grid-template-columns:repeat(3,1fr)}
  .more[open] summary{grid-column:1/-1}
  .forms{grid-template-columns:repeat(2,1fr)}
  .facts{grid-template-columns:1fr 1fr}
}
`;

export function consoleCssHandler(): LambdaHttpHandler {
  const result: HttpResult = {
    statusCode: 200,
    headers: {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
    body: CONSOLE_CSS,
  };
  return async () => result;
}
