#!/usr/bin/env python3
"""wast-binaries.py - compares the modules our text front end encodes with
the .wasm files of the 3.0 suite's JSON form (made by the reference
interpreter from the same .wast scripts): a test of the encoder.

    scripts/wast-binaries.py [FILE.wast...]   (default: every script)
    env AW_CLI (default build/airssys-wasm), SHOW=1 to list each difference

Section sizes and function body sizes are compared without the padding the
reference interpreter writes (5-byte LEB128s).  Modules written as `module
binary` in the script are re-encoded by the reference interpreter and may
legitimately differ; those are listed per file.
"""
import json, subprocess, sys, os, glob
def leb(b,i):
    r=0;sh=0
    while True:
        x=b[i]; i+=1; r|=(x&0x7f)<<sh; sh+=7
        if x<0x80: return r,i
def enc(v):
    o=bytearray()
    while True:
        x=v&0x7f; v>>=7
        if v: o.append(x|0x80)
        else: o.append(x); return bytes(o)
def norm(b):
    try:
        o=bytearray(b[:8]); i=8
        while i<len(b):
            sid=b[i]; n,j=leb(b,i+1); pay=b[j:j+n]; i=j+n
            if sid==10:
                cnt,k=leb(pay,0); q=bytearray(enc(cnt))
                for _ in range(cnt):
                    sz,k2=leb(pay,k); q+=enc(sz)+pay[k2:k2+sz]; k=k2+sz
                pay=bytes(q)
            o.append(sid); o+=enc(len(pay)); o+=pay
        return bytes(o)
    except Exception: return b
base=os.environ.get('AW_SPEC3_DIR', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../shared/wasm-3.0-testsuite'))
tot=same=diff=mfail=0
show=int(os.environ.get('SHOW','0'))
files=sys.argv[1:] or sorted(glob.glob(base+'/wast/**/*.wast',recursive=True))
per={}
for f in files:
    rel=f[len(base)+6:]
    folder=rel.split('/')[0] if '/' in rel else 'core'
    name=os.path.basename(f)[:-5]
    jf=f'{base}/{folder}/{name}.json'
    if not os.path.exists(jf): continue
    ref=json.load(open(jf))['commands']
    out=subprocess.run([os.environ.get('AW_CLI','build/airssys-wasm'),'wast','--json',f],capture_output=True).stdout
    try: mine=json.JSONDecoder().raw_decode(out.decode())[0]['commands']
    except Exception as e: print(rel,'script failed'); continue
    if len(ref)!=len(mine): print(rel,'count differs',len(ref),len(mine)); continue
    for i,(a,b) in enumerate(zip(ref,mine)):
        if a.get('module_type','binary')!='binary' or 'filename' not in a: continue
        tot+=1
        wa=open(f'{base}/{folder}/'+a['filename'],'rb').read()
        if 'wasm_hex' not in b:
            mfail+=1; per[rel]=per.get(rel,0)+1
            if show: print(rel,a['line'],'mine fails:',b.get('parse_error','')[:150])
            continue
        wb=bytes.fromhex(b['wasm_hex'])
        if wa==wb or norm(wa)==wb: same+=1
        else:
            diff+=1; per[rel]=per.get(rel,0)+1
            if show: print(rel,a['line'],'differs',len(wa),len(wb), a['type'])
print("modules",tot,"same",same,"differ",diff,"mine failed",mfail)
for k,v in sorted(per.items(),key=lambda x:-x[1])[:40]: print(' ',k,v)
