// The "Link kopieren" button (pages/_copy_link.py): copies the parent page's address to the clipboard.
const b = document.getElementById('copy'), s = document.getElementById('status'), f = document.getElementById('field');
b.addEventListener('click', async () => {
  const url = window.parent.location.href;
  try {
    await navigator.clipboard.writeText(url);
    s.textContent = 'Link kopiert';
  } catch (e) {
    f.value = url; f.hidden = false; f.focus(); f.select();
    s.textContent = 'Kopieren nicht erlaubt: Link markiert, bitte mit Strg+C kopieren';
  }
});
