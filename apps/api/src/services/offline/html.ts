/**
 * The offline page: one self-contained HTML file (inline CSS and script, no fonts, no requests — its CSP says
 * `default-src 'none'`). In clear it holds only what is not personal (facility, day, generation time, count,
 * integrity hash); the patients are in the encrypted envelope, opened in the browser with the passphrase.
 */
import { createHash } from 'node:crypto';
import { envelopeText, type OfflineEnvelope, sha256Hex } from './crypto';

/** What the page shows once decrypted: strings already formatted on the server (和暦, labels). */
export interface OfflinePatient {
  group: 'expected' | 'recent';
  /** 受付番号 and state on today's board (expected patients). */
  reception: string;
  /** Last visit or encounter date (recent patients). */
  lastSeen: string;
  number: number;
  name: string;
  kana: string;
  sex: string;
  birth: string;
  phone: string;
  address: string;
  insurance: string[];
  problems: { name: string; onset: string; status: string }[];
  allergies: { category: string; substance: string; criticality: string; reaction: string; status: string }[];
  infections: { kind: string; result: string; testedOn: string }[];
  notes: { date: string; doctor: string; s: string; o: string; a: string; p: string }[];
  prescriptions: { date: string; place: string; lines: string[] }[];
  labs: { dates: string[]; rows: { name: string; unit: string; values: string[] }[] };
}

export interface OfflineDocument {
  facility: string;
  date: string;
  generatedAt: string;
  recentDays: number;
  patients: OfflinePatient[];
  /** 予約: today's and the coming days' (files made before appointments existed have none). */
  appointments?: OfflineAppointment[];
  appointmentDays?: number;
}

export interface OfflineAppointment {
  date: string;
  time: string;
  number: number;
  name: string;
  kana: string;
  department: string;
  doctor: string;
  state: string;
}

/** What the page shows before it is opened; also the AAD of the ciphertext. */
export interface OfflineHeader {
  facility: string;
  institutionCode: string;
  date: string;
  generatedAt: string;
  patients: number;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Hiragino Sans","Yu Gothic","Noto Sans JP",sans-serif;color:#0f172a;background:#f8fafc;font-size:14px;line-height:1.5}
header.top{background:#0c4a6e;color:#fff;padding:10px 16px}
header.top h1{margin:0;font-size:18px}
header.top p{margin:2px 0 0;font-size:12px;opacity:.9}
main{max-width:1200px;margin:0 auto;padding:16px}
.box{background:#fff;border:1px solid #cbd5e1;border-radius:6px;padding:12px 16px;margin-bottom:16px}
.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.ok{color:#166534}.bad{color:#b91c1c;font-weight:bold}
label{display:block;font-weight:bold;margin-bottom:4px}
input[type=password]{font-size:16px;padding:6px 8px;width:22em;max-width:100%;border:1px solid #94a3b8;border-radius:4px}
button{font-size:14px;padding:6px 14px;border-radius:4px;border:1px solid #0369a1;background:#0369a1;color:#fff;cursor:pointer}
button.sub{background:#fff;color:#0369a1}
.error{color:#b91c1c;margin-top:6px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}
th,td{border:1px solid #cbd5e1;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f1f5f9;font-weight:600;white-space:nowrap}
section.patient{background:#fff;border:1px solid #94a3b8;border-radius:6px;padding:10px 14px;margin-bottom:16px}
section.patient h2{margin:0 0 4px;font-size:17px}
section.patient h3{margin:10px 0 2px;font-size:14px;color:#0c4a6e}
.alert{background:#fef2f2;border:1px solid #fca5a5;padding:4px 8px;border-radius:4px}
.muted{color:#64748b}
.pre{white-space:pre-wrap}
table.soap td:first-child,table.soap th:first-child{width:16em}
nav.index ol{columns:2;margin:4px 0}
@media print{
 body{background:#fff;font-size:11px}
 header.top{background:#fff;color:#000;border-bottom:2px solid #000;padding:4px 0}
 main{max-width:none;padding:0}
 .no-print{display:none!important}
 section.patient{border:none;border-top:2px solid #000;border-radius:0;padding:6px 0;break-before:page}
 section.patient:first-of-type{break-before:auto}
 th{background:#eee}
 .alert{border:1px solid #000;background:#fff}
 @page{size:A4;margin:12mm}
}`;

/**
 * The page's script: derives the key (PBKDF2-SHA-256), decrypts (AES-GCM with the header as AAD), recomputes
 * the integrity hash, and draws the patients with text nodes only (no HTML from the data is ever parsed).
 */
const SCRIPT = `
(function(){
'use strict';
var dataEl=document.getElementById('karte-offline-data');
var envText=dataEl.textContent;
var env=JSON.parse(envText);
function b64(s){var b=atob(s),u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);return u;}
function hex(buf){return Array.prototype.map.call(new Uint8Array(buf),function(x){return('0'+x.toString(16)).slice(-2);}).join('');}
function el(tag,attrs,kids){var e=document.createElement(tag);if(attrs)for(var k in attrs){if(k==='text')e.textContent=attrs[k];else e.setAttribute(k,attrs[k]);}
 (kids||[]).forEach(function(c){if(c!=null)e.appendChild(typeof c==='string'?document.createTextNode(c):c);});return e;}
function table(head,rows){return el('table',null,[el('thead',null,[el('tr',null,head.map(function(h){return el('th',{text:h});}))]),
 el('tbody',null,rows.map(function(r){return el('tr',null,r.map(function(c){return el('td',{text:c==null?'':String(c)});}));}))]);}
var stated=document.getElementById('stated-hash').textContent.trim();
var check=document.getElementById('hash-check');
if(!window.crypto||!crypto.subtle){check.textContent='このブラウザでは開けません（暗号機能がありません）。別のブラウザで開いてください。';check.className='bad';}
else crypto.subtle.digest('SHA-256',new TextEncoder().encode(envText)).then(function(d){var h=hex(d);
 check.textContent=h===stated?'一致（改ざんなし）':'不一致：このファイルは作成後に変更されています（計算値 '+h+'）';check.className=h===stated?'ok':'bad';});
var form=document.getElementById('unlock');var err=document.getElementById('unlock-error');var input=document.getElementById('passphrase');
form.addEventListener('submit',function(ev){ev.preventDefault();err.textContent='';
 var pass=input.value;if(!pass){err.textContent='パスフレーズを入力してください';input.focus();return;}
 var btn=form.querySelector('button');btn.disabled=true;btn.textContent='復号中…';
 crypto.subtle.importKey('raw',new TextEncoder().encode(pass.normalize('NFC')),'PBKDF2',false,['deriveKey']).then(function(base){
  return crypto.subtle.deriveKey({name:'PBKDF2',hash:'SHA-256',salt:b64(env.kdf.salt),iterations:env.kdf.iterations},base,{name:'AES-GCM',length:256},false,['decrypt']);
 }).then(function(key){return crypto.subtle.decrypt({name:'AES-GCM',iv:b64(env.cipher.iv),additionalData:b64(env.aad),tagLength:128},key,b64(env.ciphertext));
 }).then(function(plain){input.value='';render(JSON.parse(new TextDecoder().decode(plain)));
 }).catch(function(){err.textContent='パスフレーズが違うか、ファイルが壊れています';btn.disabled=false;btn.textContent='開く';input.select();});
});
function render(doc){
 document.getElementById('locked').style.display='none';
 var out=document.getElementById('content');out.textContent='';
 var expected=doc.patients.filter(function(p){return p.group==='expected';});
 var recent=doc.patients.filter(function(p){return p.group==='recent';});
 var bar=el('div',{'class':'box no-print'},[el('button',{type:'button',id:'print'},['印刷する']),' ',
  el('span',{'class':'muted'},['印刷すると患者ごとに改ページされます（A4）。'])]);
 out.appendChild(bar);document.getElementById('print').addEventListener('click',function(){window.print();});
 function index(title,list,extra){return el('div',null,[el('h2',{text:title+'（'+list.length+'名）'}),list.length?el('ol',null,list.map(function(p){
  return el('li',null,[el('a',{href:'#p-'+p.number},[p.name+'（'+p.kana+'）']),' 患者番号 '+p.number+' '+extra(p)]);})):el('p',{'class':'muted',text:'該当なし'})]);}
 out.appendChild(el('nav',{'class':'box index no-print','aria-label':'患者一覧'},[
  index('本日の受付予定',expected,function(p){return p.reception;}),
  index('最近の受診（'+doc.recentDays+'日以内）',recent,function(p){return '最終 '+p.lastSeen;})]));
 var appts=doc.appointments||[];
 out.appendChild(el('div',{'class':'box',id:'appointments'},[el('h2',{text:'予約（本日から'+(doc.appointmentDays||0)+'日間・'+appts.length+'件）'}),
  appts.length?table(['日付','時刻','患者番号','氏名','カナ','診療科','担当医','状態'],appts.map(function(a){return[a.date,a.time,a.number,a.name,a.kana,a.department,a.doctor,a.state];})):el('p',{'class':'muted',text:'予約なし'})]));
 doc.patients.forEach(function(p){out.appendChild(patient(p,doc));});
}
function patient(p,doc){
 var s=el('section',{'class':'patient',id:'p-'+p.number,'aria-label':p.name});
 s.appendChild(el('h2',null,[p.name+'（'+p.kana+'）']));
 s.appendChild(table(['患者番号','性別','生年月日','電話','住所'],[[p.number,p.sex,p.birth,p.phone,p.address]]));
 s.appendChild(el('p',{'class':'muted',text:(p.group==='expected'?'本日 '+p.reception:'最終受診 '+p.lastSeen)+' ／ '+doc.facility+' '+doc.date+' 作成 '+doc.generatedAt}));
 s.appendChild(el('h3',{text:'アレルギー・薬剤禁忌'}));
 s.appendChild(p.allergies.length?el('div',{'class':'alert'},[table(['区分','物質・薬剤','重篤度','症状','状態'],p.allergies.map(function(a){return[a.category,a.substance,a.criticality,a.reaction,a.status];}))]):el('p',{text:'登録なし'}));
 s.appendChild(el('h3',{text:'感染症'}));
 s.appendChild(p.infections.length?table(['項目','結果','検査日'],p.infections.map(function(i){return[i.kind,i.result,i.testedOn];})):el('p',{text:'登録なし'}));
 s.appendChild(el('h3',{text:'保険'}));
 s.appendChild(p.insurance.length?el('ul',null,p.insurance.map(function(t){return el('li',{text:t});})):el('p',{text:'登録なし'}));
 s.appendChild(el('h3',{text:'傷病名'}));
 s.appendChild(p.problems.length?table(['傷病名','開始日','転帰'],p.problems.map(function(x){return[x.name,x.onset,x.status];})):el('p',{text:'登録なし'}));
 s.appendChild(el('h3',{text:'処方（最近）'}));
 s.appendChild(p.prescriptions.length?table(['処方日','区分','内容'],p.prescriptions.map(function(x){return[x.date,x.place,x.lines.join('\\n')];})):el('p',{text:'なし'}));
 s.querySelectorAll('td').forEach(function(td){td.classList.add('pre');});
 s.appendChild(el('h3',{text:'検査結果（最近）'}));
 s.appendChild(p.labs.rows.length?table(['項目','単位'].concat(p.labs.dates),p.labs.rows.map(function(r){return[r.name,r.unit].concat(r.values);})):el('p',{text:'なし'}));
 s.appendChild(el('h3',{text:'診療記録（直近）'}));
 if(!p.notes.length)s.appendChild(el('p',{text:'なし'}));
 p.notes.forEach(function(n){var t;s.appendChild(t=table(['記載日 '+n.date+(n.doctor?'（'+n.doctor+'）':''),''],[['S 主訴',n.s],['O 所見',n.o],['A 評価',n.a],['P 計画',n.p]]));t.className='soap';});
 s.querySelectorAll('td').forEach(function(td){td.classList.add('pre');});
 return s;
}
})();
`;

/** The CSP hash of the inline script: the page runs that script and nothing else, and fetches nothing. */
const scriptHash = createHash('sha256').update(SCRIPT).digest('base64');

export function buildOfflineHtml(header: OfflineHeader, envelope: OfflineEnvelope) {
  const text = envelopeText(envelope);
  if (/[^\x20-\x7e]|</.test(text)) throw new Error('the envelope must be plain ASCII without <');
  const hash = sha256Hex(text);
  const h = escapeHtml;
  const html = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-${scriptHash}'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<title>オフライン閲覧 ${h(header.facility)} ${h(header.date)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top">
<h1>Karte オフライン閲覧（見読性確保用）— ${h(header.facility)}</h1>
<p>対象日 ${h(header.date)} ／ 作成 <span id="generated-at">${h(header.generatedAt)}</span> ／ 患者 ${header.patients}名 ／ 医療機関コード ${h(header.institutionCode)}</p>
</header>
<main>
<div class="box">
<div>整合性ハッシュ（SHA-256）：<span class="hash" id="stated-hash">${hash}</span></div>
<div>検証：<span id="hash-check">確認中…</span></div>
<div class="muted">管理画面「オフライン閲覧」に表示されるハッシュと一致することを確認してください。</div>
</div>
<div class="box no-print" id="locked">
<form id="unlock" autocomplete="off">
<label for="passphrase">パスフレーズ</label>
<input type="password" id="passphrase" name="passphrase" autocomplete="off" autofocus>
<button type="submit">開く</button>
<div class="error" id="unlock-error" role="alert"></div>
</form>
<p class="muted">このファイルは暗号化されています。管理者が設定したパスフレーズで開いてください。ネットワークには接続しません。</p>
<noscript><p class="bad">JavaScript を有効にしてください。</p></noscript>
</div>
<div id="content"></div>
</main>
<script type="application/json" id="karte-offline-data">${text}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
  return { html, hash };
}
