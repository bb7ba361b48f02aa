import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<div>基层党建与治理平台</div>);
